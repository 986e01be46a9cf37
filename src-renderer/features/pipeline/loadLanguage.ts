import type { Extension } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';
import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import { languageCompartment } from './languageCompartment.ts';

/** Each grammar is its own chunk, loaded the first time a file in that language is shown. */
function grammar(language: FileLanguage): Promise<Extension> {
  switch (language) {
    case 'python':
      return import('@codemirror/lang-python').then((module) => module.python());
    case 'typescript':
      return import('@codemirror/lang-javascript').then((module) => module.javascript({ typescript: true }));
    case 'javascript':
      return import('@codemirror/lang-javascript').then((module) => module.javascript());
    case 'json':
      return import('@codemirror/lang-json').then((module) => module.json());
    case 'yaml':
      return import('@codemirror/lang-yaml').then((module) => module.yaml());
    case 'markdown':
      return import('@codemirror/lang-markdown').then((module) => module.markdown());
    case 'toml':
    case 'dockerfile':
    case 'bash':
    case 'ini':
    case 'sql':
    case 'text':
      // No grammar bundled: plain text.
      return Promise.resolve([]);
    default:
      return language satisfies never;
  }
}

/**
 * Highlights the editors' text as `language` once its grammar has loaded; returns the function
 * that drops the pending result (the editors went away first).
 */
export function loadLanguage(language: FileLanguage, views: readonly EditorView[]): () => void {
  let wanted = true;
  void grammar(language)
    .then((extension) => {
      if (!wanted) return;
      for (const view of views) view.dispatch({ effects: languageCompartment.reconfigure(extension) });
    })
    .catch(() => {
      // Without its grammar the code still shows, as plain text.
    });
  return () => {
    wanted = false;
  };
}
