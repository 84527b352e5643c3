import { formatScalar, humanizeKey } from "../lib/format";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return value === null || ["string", "number", "boolean", "undefined"].includes(typeof value);
}

/** Any JSON value as readable HTML: objects as definition lists, lists as lists. */
export function ValueView({ value, name = "" }: { value: unknown; name?: string }) {
  if (isScalar(value)) return <>{formatScalar(name, value)}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>none</>;
    if (value.every(isScalar)) return <>{value.map((v) => formatScalar(name, v)).join(", ")}</>;
    return (
      <ol className="value-list">
        {value.map((item, index) => (
          <li key={index}>
            <ValueView value={item} name={name} />
          </li>
        ))}
      </ol>
    );
  }
  if (isRecord(value)) {
    return (
      <dl className="facts">
        {Object.entries(value).map(([key, item]) => (
          <div key={key} className="facts__row">
            <dt>{humanizeKey(key)}</dt>
            <dd>
              <ValueView value={item} name={key} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{String(value)}</>;
}

/** A plan or result: its `actions` first as "What will happen", then every other fact,
 * and the raw JSON one click away. */
export function PlanView({ value, actionsTitle }: { value: unknown; actionsTitle: string }) {
  const record = isRecord(value) ? value : null;
  const actions =
    record && Array.isArray(record.actions) && record.actions.every((a) => typeof a === "string")
      ? (record.actions as string[])
      : [];
  const rest = record
    ? Object.fromEntries(Object.entries(record).filter(([key]) => key !== "actions"))
    : null;
  return (
    <div className="plan">
      {actions.length > 0 && (
        <>
          <h3>{actionsTitle}</h3>
          <ul className="plan__actions">
            {actions.map((action, index) => (
              <li key={index}>{action}</li>
            ))}
          </ul>
        </>
      )}
      {rest ? <ValueView value={rest} /> : <ValueView value={value} />}
      <details className="raw">
        <summary>Raw JSON</summary>
        <pre>{JSON.stringify(value, null, 2)}</pre>
      </details>
    </div>
  );
}
