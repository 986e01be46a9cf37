import { providerConfigSchema } from './provider.ts';

/**
 * Control characters (C0, DEL, C1) and the marks that turn or isolate the direction of text
 * (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069). In a provider's name they show nothing
 * in the app but reorder what follows ("Evil\u202Eabc" reads "Evilcba", and the rest of a list
 * entry after it runs backwards), and the terminal prints them escaped. Models are the server's
 * names and stay as given (the CLI prints them escaped).
 */
const hiddenCharacters = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * A provider's configuration as the user gives it (providers.add, .update, .checkKey): the stored
 * schema, and no hidden characters in the name the user gave it. Configurations stored before are
 * read with the stored schema alone, so none of them stops loading.
 */
export const providerConfigInputSchema = providerConfigSchema.superRefine((config, context) => {
  if (hiddenCharacters.test(config.label)) {
    context.addIssue({ code: 'custom', path: ['label'], message: 'The label cannot hold control characters or marks that change the direction of text: type it again without them.' });
  }
});
