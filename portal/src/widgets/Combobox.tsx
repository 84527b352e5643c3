/** A searchable combobox (WAI-ARIA 1.2 combobox with a listbox popup) over a remote
 * option source. Typing filters on the server; the counter says how many options match
 * out of how many there are ("17 of 480 options"). Free text stays allowed: the
 * schema, not the list, decides what is valid. */

import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { KeyboardEvent, ReactNode } from "react";
import type { OptionItem, OptionsPage } from "../api/types";

export type LoadOptions = (query: string, signal: AbortSignal) => Promise<OptionsPage>;

export interface ComboboxProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  load: LoadOptions;
  onBlur?: () => void;
  onFocus?: () => void;
  disabled?: boolean;
  required?: boolean;
  placeholder?: string;
  /** Ids of the field's label/help/error elements, for aria-describedby. */
  describedBy?: string;
  invalid?: boolean;
  debounceMs?: number;
}

type Status =
  | { kind: "idle" }
  | { kind: "loading" }
  | { kind: "error"; message: string }
  | { kind: "ready"; page: OptionsPage };

/** The label with the ranges that matched the query marked. */
export function Highlighted({ text, ranges }: { text: string; ranges?: [number, number][] }) {
  if (!ranges?.length) return <>{text}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

export function countText(page: OptionsPage): string {
  const options = page.total === 1 ? "option" : "options";
  const shown =
    page.items.length < page.matched ? `; showing the first ${page.items.length}, type to narrow` : "";
  return `${page.matched} of ${page.total} ${options}${shown}`;
}

export function Combobox({
  id,
  value,
  onChange,
  load,
  onBlur,
  onFocus,
  disabled,
  required,
  placeholder,
  describedBy,
  invalid,
  debounceMs = 150,
}: ComboboxProps) {
  const listId = `${id}-listbox`;
  const countId = `${id}-count`;
  const optionId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const controller = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const fetchOptions = useCallback(
    (query: string) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setStatus((previous) => (previous.kind === "ready" ? previous : { kind: "loading" }));
      load(query, current.signal).then(
        (page) => {
          if (current.signal.aborted) return;
          setStatus({ kind: "ready", page });
          setActive((index) => Math.min(index, page.items.length - 1));
        },
        (err: Error) => {
          if (current.signal.aborted || err.name === "AbortError") return;
          setStatus({ kind: "error", message: err.message });
        },
      );
    },
    [load],
  );

  const schedule = (query: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => fetchOptions(query), debounceMs);
  };

  useEffect(
    () => () => {
      controller.current?.abort();
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const items: OptionItem[] = status.kind === "ready" ? status.page.items : [];

  useEffect(() => {
    if (!open || active < 0) return;
    const element = listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    element?.scrollIntoView?.({ block: "nearest" });
  }, [open, active]);

  const openList = (query: string) => {
    setOpen(true);
    fetchOptions(query);
  };

  const choose = (item: OptionItem) => {
    onChange(item.value);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open) {
          openList(value);
          if (!event.altKey) setActive(0);
        } else if (items.length > 0) {
          setActive((index) => (index + 1) % items.length);
        }
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!open) {
          openList(value);
          setActive(items.length - 1);
        } else if (items.length > 0) {
          setActive((index) => (index <= 0 ? items.length - 1 : index - 1));
        }
        break;
      case "Enter": {
        const item = open && active >= 0 ? items[active] : undefined;
        if (item) {
          event.preventDefault();
          choose(item);
        }
        break;
      }
      case "Escape":
        if (open) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (value) {
          event.preventDefault();
          onChange("");
        }
        break;
      case "Tab":
        setOpen(false);
        break;
    }
  };

  const expanded = open && items.length > 0;
  const activeItem = expanded && active >= 0 ? items[active] : undefined;

  return (
    <div className="combobox">
      <input
        id={id}
        type="text"
        role="combobox"
        className="combobox__input"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={activeItem ? `${optionId}-${active}` : undefined}
        aria-describedby={[describedBy, countId].filter(Boolean).join(" ") || undefined}
        aria-invalid={invalid || undefined}
        aria-required={required || undefined}
        disabled={disabled}
        placeholder={placeholder}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          setActive(-1);
          schedule(event.target.value);
        }}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onClick={() => !open && openList(value)}
        onBlur={() => {
          setOpen(false);
          onBlur?.();
        }}
      />
      <ul
        id={listId}
        role="listbox"
        ref={listRef}
        aria-label="Options"
        className="combobox__list"
        hidden={!expanded}
      >
        {items.map((item, index) => (
          <li
            key={item.value}
            id={`${optionId}-${index}`}
            data-index={index}
            role="option"
            aria-selected={index === active}
            className={index === active ? "combobox__option is-active" : "combobox__option"}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(item)}
          >
            <span className="combobox__label">
              <Highlighted text={item.label || item.value} ranges={item.match} />
            </span>
            {item.label && item.label !== item.value && (
              <span className="combobox__value">{item.value}</span>
            )}
            {item.description && <span className="combobox__description">{item.description}</span>}
          </li>
        ))}
      </ul>
      <div id={countId} className="combobox__count" role="status" aria-live="polite">
        {status.kind === "loading" && "Loading options…"}
        {status.kind === "error" && `Could not load options: ${status.message}`}
        {status.kind === "ready" && countText(status.page)}
      </div>
    </div>
  );
}
