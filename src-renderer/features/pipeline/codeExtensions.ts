import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, drawSelection, highlightSpecialChars, lineNumbers } from '@codemirror/view';
import { codeTheme } from './codeTheme.ts';
import { languageCompartment } from './languageCompartment.ts';

/**
 * A read-only editor for generated code: line numbers, highlighting (the language arrives through
 * loadLanguage), selectable and copyable, focusable for keyboard scrolling, never editable.
 * `label` names it for screen readers.
 */
export function codeExtensions(label: string): Extension[] {
  return [
    lineNumbers(),
    highlightSpecialChars(),
    drawSelection(),
    EditorState.readOnly.of(true),
    EditorView.contentAttributes.of({ 'aria-label': label, 'aria-readonly': 'true' }),
    languageCompartment.of([]),
    codeTheme,
  ];
}
