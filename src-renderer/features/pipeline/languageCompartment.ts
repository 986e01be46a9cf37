import { Compartment } from '@codemirror/state';

/** Where a code editor's language goes: empty at first, filled once its grammar has loaded (loadLanguage). */
export const languageCompartment = new Compartment();
