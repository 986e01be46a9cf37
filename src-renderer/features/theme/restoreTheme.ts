import { themes } from '../../../src-shared/domain/settings.ts';
import { applyTheme, themeStorageKey } from './applyTheme.ts';

/** Applies the theme remembered from the last run, before React renders, to avoid a flash. */
export function restoreTheme(): void {
  try {
    const stored = localStorage.getItem(themeStorageKey);
    const theme = themes.find((candidate) => candidate === stored);
    if (theme) applyTheme(theme);
  } catch {
    // no storage: follow the OS until the settings load
  }
}
