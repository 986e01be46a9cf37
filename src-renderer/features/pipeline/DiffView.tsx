import { MergeView, unifiedMergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import { codeExtensions } from './codeExtensions.ts';
import { loadLanguage } from './loadLanguage.ts';
import { shadowRootOf } from './shadowRootOf.ts';

export interface DiffViewProps {
  before: { content: string; label: string };
  after: { content: string; label: string };
  language: FileLanguage;
  /** Side by side (two editors) or unified (one editor, deletions inline). */
  layout: 'split' | 'unified';
}

const collapseUnchanged = { margin: 3, minSize: 6 };

/** What changed between two versions of a file, read-only, long unchanged stretches folded. Loaded on demand. */
export function DiffView({ before, after, language, layout }: DiffViewProps) {
  const parent = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!parent.current) return;
    const root = shadowRootOf(parent.current);
    if (layout === 'split') {
      const view = new MergeView({
        a: { doc: before.content, extensions: codeExtensions(before.label) },
        b: { doc: after.content, extensions: codeExtensions(after.label) },
        parent: root,
        root,
        gutter: true,
        highlightChanges: true,
        collapseUnchanged,
      });
      const dropLanguage = loadLanguage(language, [view.a, view.b]);
      return () => {
        dropLanguage();
        view.destroy();
      };
    }
    const view = new EditorView({
      root,
      parent: root,
      state: EditorState.create({
        doc: after.content,
        extensions: [
          codeExtensions(`${after.label}, compared with ${before.label}`),
          unifiedMergeView({ original: before.content, mergeControls: false, gutter: true, highlightChanges: true, collapseUnchanged }),
        ],
      }),
    });
    const dropLanguage = loadLanguage(language, [view]);
    return () => {
      dropLanguage();
      view.destroy();
    };
  }, [before.content, before.label, after.content, after.label, language, layout]);
  return <div ref={parent} className="diff-view" data-testid="diff-view" data-layout={layout} />;
}
