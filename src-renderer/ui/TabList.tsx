import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Tabs<T extends string> {
  tab: T;
  select: (id: T) => void;
  /** The ids that tie a tab to its panel (`aria-controls`, `aria-labelledby`). */
  tabId: (id: T) => string;
  panelId: (id: T) => string;
}

/**
 * Which tab is shown, with the element ids a tab list and its panels share. With `controlled`,
 * the tab lives elsewhere (the address) and choosing one goes through it.
 */
export function useTabs<T extends string>(initial: T, controlled?: { tab: T; select: (id: T) => void }): Tabs<T> {
  const [own, setOwn] = useState<T>(initial);
  const baseId = useId();
  const tab = controlled?.tab ?? own;
  const select = controlled?.select ?? setOwn;
  return { tab, select, tabId: (id) => `${baseId}-tab-${id}`, panelId: (id) => `${baseId}-panel-${id}` };
}

export interface TabListProps<T extends string> {
  tabs: Tabs<T>;
  entries: readonly { id: T; label: string }[];
  /** The list's accessible name. */
  label: string;
  className: string;
  tabClassName: string;
  /** Each tab's test id is `${testIdPrefix}-${id}`. */
  testIdPrefix: string;
  /** Shown after a tab's label (a status badge). */
  after?: (id: T) => ReactNode;
}

/**
 * An ARIA tab list: one tab in the Tab order (the shown one), the arrow keys move between tabs
 * (wrapping), Home and End go to the first and last; moving shows the tab and focuses it.
 */
export function TabList<T extends string>({ tabs, entries, label, className, tabClassName, testIdPrefix, after }: TabListProps<T>) {
  const moveWithKeys = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = entries.findIndex((entry) => entry.id === tabs.tab);
    const target =
      event.key === 'ArrowRight' ? (index + 1) % entries.length : event.key === 'ArrowLeft' ? (index - 1 + entries.length) % entries.length : event.key === 'Home' ? 0 : event.key === 'End' ? entries.length - 1 : undefined;
    const next = target === undefined ? undefined : entries[target];
    if (next === undefined) return;
    event.preventDefault();
    tabs.select(next.id);
    document.getElementById(tabs.tabId(next.id))?.focus();
  };

  return (
    <div className={className} role="tablist" aria-label={label} onKeyDown={moveWithKeys}>
      {entries.map((entry) => (
        <button
          key={entry.id}
          id={tabs.tabId(entry.id)}
          type="button"
          role="tab"
          className={tabClassName}
          data-testid={`${testIdPrefix}-${entry.id}`}
          aria-selected={tabs.tab === entry.id}
          aria-controls={tabs.panelId(entry.id)}
          tabIndex={tabs.tab === entry.id ? 0 : -1}
          onClick={() => {
            tabs.select(entry.id);
          }}
        >
          {entry.label}
          {after?.(entry.id)}
        </button>
      ))}
    </div>
  );
}
