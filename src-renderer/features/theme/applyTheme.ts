import type { Settings } from '../../../src-shared/domain/settings.ts';

export const themeStorageKey = 'service-creator.theme';

/**
 * `data-theme` on <html> overrides the OS appearance; without it the CSS follows
 * `prefers-color-scheme`. The choice is also remembered locally so the next start paints in it
 * before the settings arrive.
 */
export function applyTheme(theme: Settings['theme']): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    localStorage.setItem(themeStorageKey, theme);
  } catch {
    // no storage: the theme still applies, it just is not remembered for the first paint
  }
}
