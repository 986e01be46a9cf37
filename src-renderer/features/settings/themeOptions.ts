import type { Settings } from '../../../src-shared/domain/settings.ts';

export interface ThemeOption {
  value: Settings['theme'];
  label: string;
}

export const themeOptions: readonly ThemeOption[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];
