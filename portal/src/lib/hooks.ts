/** Small hooks: loading data, polling it, titling the page. */

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

export type Loaded<T> =
  | { state: "loading" }
  | { state: "error"; error: Error }
  | { state: "ready"; data: T };

/** Load `fetcher()` whenever `key` changes; `reload` fetches again, keeping what is shown
 * until the new answer arrives; `replace` shows data obtained otherwise. */
export function useLoad<T>(
  fetcher: () => Promise<T>,
  key: string,
): [Loaded<T>, () => void, (data: T) => void] {
  const [result, setResult] = useState<{ key: string; loaded: Loaded<T> } | null>(null);
  const [generation, setGeneration] = useState(0);
  const fetcherRef = useRef(fetcher);
  useLayoutEffect(() => {
    fetcherRef.current = fetcher;
  });

  useEffect(() => {
    let live = true;
    fetcherRef.current().then(
      (data) => live && setResult({ key, loaded: { state: "ready", data } }),
      (error: Error) => live && setResult({ key, loaded: { state: "error", error } }),
    );
    return () => {
      live = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const replace = useCallback((data: T) => setResult({ key, loaded: { state: "ready", data } }), [key]);
  const loaded: Loaded<T> = result && result.key === key ? result.loaded : { state: "loading" };
  return [loaded, reload, replace];
}

/** Call `tick` every `intervalMs` while `active`, waiting for each call to finish first. */
export function usePolling(tick: () => Promise<void>, intervalMs: number, active: boolean): void {
  const tickRef = useRef(tick);
  useLayoutEffect(() => {
    tickRef.current = tick;
  });
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loop = async () => {
      try {
        await tickRef.current();
      } finally {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      }
    };
    timer = setTimeout(loop, intervalMs);
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [intervalMs, active]);
}

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Foyer` : "Foyer";
  }, [title]);
}

export const APPROVALS_CHANGED = "foyer:approvals-changed";

export function announceApprovalsChanged(): void {
  window.dispatchEvent(new Event(APPROVALS_CHANGED));
}
