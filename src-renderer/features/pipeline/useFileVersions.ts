import { useEffect, useState } from 'react';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import type { FileVersionView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { callApi } from '../connection/callApi.ts';

export type FileVersionsState = { status: 'loading' } | { status: 'ready'; versions: FileVersionView[] } | { status: 'failed'; error: ErrorPayload };

/**
 * Every stored version of one file (oldest first). Fetched again when `revision` changes (the
 * file's status or model calls moved on), keeping the last list on screen meanwhile.
 */
export function useFileVersions(runId: string, path: string, revision: string): FileVersionsState {
  const [state, setState] = useState<{ key: string; value: FileVersionsState }>({ key: '', value: { status: 'loading' } });
  const key = `${runId}\n${path}`;
  useEffect(() => {
    let current = true;
    void callApi((api) => api.pipeline.fileVersions({ runId, path })).then((result) => {
      if (!current) return;
      setState({ key, value: result.ok ? { status: 'ready', versions: result.value } : { status: 'failed', error: result.error } });
    });
    return () => {
      current = false;
    };
  }, [runId, path, revision, key]);
  // Another file's list is never shown for this one.
  return state.key === key ? state.value : { status: 'loading' };
}
