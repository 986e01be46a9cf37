export interface StatusBadgeProps {
  /** The status value (a run's or a file's), also the badge's colour. */
  status: string;
  label: string;
  testId?: string;
}

/** A status as a small coloured word. */
export function StatusBadge({ status, label, testId }: StatusBadgeProps) {
  return (
    <span className={`status-badge status-badge-${status}`} data-testid={testId} data-status={status}>
      {label}
    </span>
  );
}
