/** The part of Electron's `before-input-event` Input that identifies a key press. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}

const panelKeys = new Set(['i', 'j', 'c']);

/**
 * True for the key presses that open Chromium's developer tools (F12, Ctrl/Cmd+Shift+I/J/C,
 * Cmd+Alt+I/J/C): packaged builds swallow them, so a user cannot be talked into pasting code
 * into a console that reaches the app's API.
 */
export function isDevToolsShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  if (input.key === 'F12') return true;
  const key = input.key.toLowerCase();
  if (!panelKeys.has(key)) return false;
  return ((input.control || input.meta) && input.shift) || (input.meta && input.alt);
}
