/** A run status as text, coloured by kind. The text is the status itself
 * (`awaiting_approval`, `succeeded`…), exactly as the API and CLI say it. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status--${status}`}>{status}</span>;
}
