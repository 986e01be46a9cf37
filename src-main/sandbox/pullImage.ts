import type Docker from 'dockerode';
import { AppError } from '../../src-shared/AppError.ts';

export interface PullProgress {
  status: string;
  /** Bytes downloaded so far over all layers, and their total as far as known. */
  current: number;
  total: number;
}

interface PullEvent {
  id?: string;
  status?: string;
  error?: string;
  progressDetail?: { current?: number; total?: number };
}

/**
 * Pulls an image with progress summed over its layers. Offline or unknown images fail with a
 * message that points at the offline ways (build-image, load).
 */
export async function pullImage(docker: Docker, image: string, onProgress?: (progress: PullProgress) => void): Promise<void> {
  const layers = new Map<string, { current: number; total: number }>();
  try {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, events: PullEvent[]) => {
          const failed = events?.find((event) => event.error);
          if (error || failed) reject(error ?? new Error(failed?.error));
          else resolve();
        },
        (event: PullEvent) => {
          if (event.id && event.progressDetail?.total) layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total });
          const sum = [...layers.values()].reduce((acc, layer) => ({ current: acc.current + layer.current, total: acc.total + layer.total }), { current: 0, total: 0 });
          onProgress?.({ status: event.status ?? '', ...sum });
        },
      );
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'SANDBOX_UNAVAILABLE',
      `Could not pull ${image}: ${reason}. Offline, build the Python image with "service-creator sandbox build-image" or load a saved one with "service-creator sandbox load FILE"`,
    );
  }
}
