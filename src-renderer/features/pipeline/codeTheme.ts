import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

/**
 * The code viewer's look from the app's own colour variables (pipeline.css), so it follows the
 * light and dark themes without a second set of CodeMirror themes.
 */
export const codeTheme = [
  EditorView.theme({
    '&': { color: 'var(--color-text)', backgroundColor: 'var(--color-surface)', fontSize: '13px', maxHeight: '560px' },
    // In a merge view the editors grow with their text and the merge view scrolls (.diff-view).
    '.cm-mergeView &': { maxHeight: 'none' },
    '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.5' },
    '.cm-gutters': { backgroundColor: 'var(--color-bg)', color: 'var(--color-text-muted)', borderRight: '1px solid var(--color-border)' },
    '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--color-hover)' },
    '&.cm-focused': { outline: '2px solid var(--color-focus)', outlineOffset: '-2px' },
    '.cm-cursor': { borderLeftColor: 'var(--color-text)' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--color-accent-soft)' },
  }),
  syntaxHighlighting(
    HighlightStyle.define([
      { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword], color: 'var(--code-keyword)' },
      { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--code-string)' },
      { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--code-number)' },
      { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--code-comment)', fontStyle: 'italic' },
      { tag: [tags.function(tags.variableName), tags.function(tags.propertyName), tags.definition(tags.function(tags.variableName))], color: 'var(--code-function)' },
      { tag: [tags.className, tags.typeName, tags.definition(tags.className)], color: 'var(--code-type)' },
      { tag: [tags.propertyName, tags.attributeName], color: 'var(--code-property)' },
      { tag: [tags.meta, tags.annotation, tags.processingInstruction], color: 'var(--code-meta)' },
      { tag: tags.heading, fontWeight: '600', color: 'var(--code-keyword)' },
      { tag: tags.emphasis, fontStyle: 'italic' },
      { tag: tags.strong, fontWeight: '600' },
      { tag: tags.link, color: 'var(--color-accent)', textDecoration: 'underline' },
      { tag: tags.invalid, color: 'var(--color-danger)' },
    ]),
  ),
];
