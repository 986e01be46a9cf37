import type { ReactNode } from 'react';

export interface EmptyStateProps {
  title: string;
  children?: ReactNode;
  testId?: string;
}

/** A quiet panel that says plainly that there is nothing here yet, and what would fill it. */
export function EmptyState({ title, children, testId }: EmptyStateProps) {
  return (
    <section className="empty-state" data-testid={testId}>
      <h3 className="empty-state-title">{title}</h3>
      {children}
    </section>
  );
}
