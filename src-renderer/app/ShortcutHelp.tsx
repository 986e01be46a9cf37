import { useEffect, useRef } from 'react';
import { shortcuts } from './shortcuts.ts';

/** The keyboard shortcuts, shown on `?`; Escape, the Close button or a click outside closes it. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    close.current?.focus();
    return () => previous?.focus();
  }, []);
  return (
    <div
      className="shortcut-backdrop"
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="shortcut-help" role="dialog" aria-modal="true" aria-labelledby="shortcut-help-title" data-testid="shortcut-help">
        <h2 className="shortcut-help-title" id="shortcut-help-title">
          Keyboard shortcuts
        </h2>
        <p className="muted">They work anywhere except while typing in a field.</p>
        <dl className="shortcut-list">
          {shortcuts.map((shortcut) => (
            <div className="shortcut-row" key={shortcut.key}>
              <dt>
                <kbd>{shortcut.label}</kbd>
              </dt>
              <dd>{shortcut.what}</dd>
            </div>
          ))}
          <div className="shortcut-row">
            <dt>
              <kbd>?</kbd>
            </dt>
            <dd>Show this list</dd>
          </div>
          <div className="shortcut-row">
            <dt>
              <kbd>Ctrl</kbd> + <kbd>Enter</kbd>
            </dt>
            <dd>Send the answer being typed</dd>
          </div>
        </dl>
        <button ref={close} type="button" className="button" data-testid="shortcut-help-close" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
