import { z } from 'zod';

export const themes = ['system', 'light', 'dark'] as const;
export const privacyModes = ['local-only', 'local-first', 'cloud-allowed'] as const;
export type PrivacyMode = (typeof privacyModes)[number];

/**
 * User settings kept in the store. Every key has a default so an old database or a partial
 * row still yields complete settings; unknown keys from a newer version are ignored, not lost.
 */
export const settingsSchema = z.object({
  theme: z.enum(themes).default('system'),
  privacyMode: z.enum(privacyModes).default('local-only'),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = z
  .object({
    theme: z.enum(themes),
    privacyMode: z.enum(privacyModes),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Name at least one setting to change');
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const defaultSettings: Settings = settingsSchema.parse({});
