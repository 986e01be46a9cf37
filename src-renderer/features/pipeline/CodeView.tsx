import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import { codeExtensions } from './codeExtensions.ts';
import { loadLanguage } from './loadLanguage.ts';
import { shadowRootOf } from './shadowRootOf.ts';

export interface CodeViewProps {
  content: string;
  language: FileLanguage;
  /** What the code is, for screen readers ("app/store.py, version 2"). */
  label: string;
}

/** One version of a file in a read-only CodeMirror editor. Loaded on demand (CodeMirror is large). */
export function CodeView({ content, language, label }: CodeViewProps) {
  const parent = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!parent.current) return;
    const root = shadowRootOf(parent.current);
    const view = new EditorView({ root, parent: root, state: EditorState.create({ doc: content, extensions: codeExtensions(label) }) });
    const dropLanguage = loadLanguage(language, [view]);
    return () => {
      dropLanguage();
      view.destroy();
    };
  }, [content, language, label]);
  return <div ref={parent} className="code-view" data-testid="code-view" />;
}
