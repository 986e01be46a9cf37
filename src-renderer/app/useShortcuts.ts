import { useEffect, useState } from 'react';
import { isTyping, shortcuts } from './shortcuts.ts';

/** Listens for the app-wide keys; returns whether the help overlay is open, and its closer. */
export function useShortcuts(): { helpOpen: boolean; closeHelp: () => void } {
  const [helpOpen, setHelpOpen] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'Escape') {
        setHelpOpen(false);
        return;
      }
      // The innermost target: an editor inside a shadow root is retargeted to its host otherwise.
      if (isTyping(event.composedPath()[0] ?? event.target)) return;
      if (event.key === '?') {
        event.preventDefault();
        setHelpOpen((open) => !open);
        return;
      }
      const shortcut = shortcuts.find((candidate) => candidate.key === event.key.toLowerCase() && !event.shiftKey);
      if (shortcut === undefined) return;
      event.preventDefault();
      setHelpOpen(false);
      shortcut.run();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);
  return { helpOpen, closeHelp: () => setHelpOpen(false) };
}
