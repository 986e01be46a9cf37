/** One JSON message of the engine's pull stream (`POST /images/create`). */
export interface PullEvent {
  id?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

export interface PullProgressSnapshot {
  /** The latest status line, with the layer it is about: `Downloading a1b2c3d4e5f6`. */
  status: string;
  /** Bytes downloaded so far over all layers seen, and their total as far as known. */
  current: number;
  total: number;
  /** Layers seen, and those fully downloaded (or already present). */
  layers: number;
  layersDone: number;
}

interface LayerState {
  current: number;
  total: number;
  done: boolean;
}

/** Statuses after which a layer's bytes are all there. */
const finishedStatuses = new Set(['Download complete', 'Already exists', 'Pull complete', 'Verifying Checksum', 'Extracting']);

/**
 * Sums a pull's progress over its layers. The engine reports each layer on its own, first
 * downloading then extracting, both with `progressDetail`: only the download counts (extracting
 * would restart the layer's bar at 0), and a layer that ends without a last byte count (`Download
 * complete`, `Already exists`) counts as whole. Layers whose size is not known yet add nothing to
 * `total`, so the sum can grow while new layers start.
 */
export class PullProgress {
  readonly #layers = new Map<string, LayerState>();
  #status = '';

  update(event: PullEvent): PullProgressSnapshot {
    const status = event.status ?? '';
    const id = event.id;
    if (id && status !== '' && !status.startsWith('Pulling from')) {
      const layer = this.#layers.get(id) ?? { current: 0, total: 0, done: false };
      if (status === 'Downloading' && event.progressDetail?.total) {
        layer.total = event.progressDetail.total;
        layer.current = Math.min(event.progressDetail.current ?? 0, layer.total);
      } else if (finishedStatuses.has(status)) {
        layer.done = true;
        layer.current = layer.total;
      }
      this.#layers.set(id, layer);
    }
    if (status !== '') this.#status = id && !status.startsWith('Pulling from') ? `${status} ${id}` : status;
    return this.snapshot();
  }

  snapshot(): PullProgressSnapshot {
    let current = 0;
    let total = 0;
    let layersDone = 0;
    for (const layer of this.#layers.values()) {
      current += layer.current;
      total += layer.total;
      if (layer.done) layersDone += 1;
    }
    return { status: this.#status, current, total, layers: this.#layers.size, layersDone };
  }
}
