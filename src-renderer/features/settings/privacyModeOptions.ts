import type { Settings } from '../../../src-shared/domain/settings.ts';

export interface PrivacyModeOption {
  value: Settings['privacyMode'];
  label: string;
  explanation: string;
}

export const privacyModeOptions: readonly PrivacyModeOption[] = [
  {
    value: 'local-only',
    label: 'Local only',
    explanation: 'Only models running on this machine are used; nothing is sent to a cloud provider.',
  },
  {
    value: 'local-first',
    label: 'Local first',
    explanation: 'Models on this machine are preferred; a cloud provider is used only when no local model can do the job.',
  },
  {
    value: 'cloud-allowed',
    label: 'Cloud allowed',
    explanation: 'Configured cloud providers may be used whenever they suit the task.',
  },
];

export function privacyModeOption(value: Settings['privacyMode']): PrivacyModeOption {
  return privacyModeOptions.find((option) => option.value === value) ?? { value, label: value, explanation: '' };
}
