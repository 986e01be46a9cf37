export interface ProjectCheckOptions {
  /** Planned files not written yet (a layer check): imports of them are not findings. */
  pending?: readonly string[];
  signal?: AbortSignal;
  /** Per checker; past it the check fails with ProjectCheckFailed `timeout`. */
  timeoutMs?: number;
  /** The run the files belong to: its pyright workspace (runs are checked apart). */
  workspace?: string;
  /**
   * `server` (default): the app's long-lived checkers (pyright language server, TypeScript
   * thread); `cli`: one-shot, as a fresh pyright process and the compiler in this thread (the
   * fallback, and the baseline the bench compares with).
   */
  engine?: 'server' | 'cli';
}
