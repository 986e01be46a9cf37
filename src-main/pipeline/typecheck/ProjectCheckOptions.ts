export interface ProjectCheckOptions {
  /** Planned files not written yet (a layer check): imports of them are not findings. */
  pending?: readonly string[];
  signal?: AbortSignal;
  /** Per checker; past it the check fails with ProjectCheckFailed `timeout`. */
  timeoutMs?: number;
}
