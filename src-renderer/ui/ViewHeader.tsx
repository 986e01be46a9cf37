import type { ReactNode } from 'react';

export interface ViewHeaderProps {
  title: string;
  children?: ReactNode;
}

/** The title row at the top of each view, with an optional one-line description. */
export function ViewHeader({ title, children }: ViewHeaderProps) {
  return (
    <header className="view-header">
      <h2 className="view-title">{title}</h2>
      {children === undefined ? null : <p className="view-description">{children}</p>}
    </header>
  );
}
