import type Docker from 'dockerode';
import { AppError } from '../../src-shared/AppError.ts';
import { PullProgress, type PullEvent, type PullProgressSnapshot } from './PullProgress.ts';

export type { PullProgressSnapshot } from './PullProgress.ts';

/** What to do instead when no registry can give the image. */
const offlineHint = 'Offline, build the Python image with "service-creator sandbox build-image" or load a saved one with "service-creator sandbox load FILE"';

/**
 * Pulls an image with progress summed over its layers (PullProgress). A missing image, a bad
 * name or an unreachable registry fails with SANDBOX_UNAVAILABLE saying which, and pointing at
 * the offline ways (build-image, load).
 */
export async function pullImage(docker: Docker, image: string, onProgress?: (progress: PullProgressSnapshot) => void): Promise<void> {
  const progress = new PullProgress();
  try {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, events: PullEvent[] | undefined) => {
          const failed = events?.find((event) => event.error);
          if (error) reject(error);
          else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error));
          else resolve();
        },
        (event: PullEvent) => {
          if (event.error) return;
          onProgress?.(progress.update(event));
        },
      );
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('SANDBOX_UNAVAILABLE', describePullFailure(image, reason), { cause: error });
  }
}

/**
 * Why a pull failed, in words, from the engine's error text: the name is not one, the registry
 * cannot be reached (offline, DNS, proxy) or does not have the image; the last two point at the
 * ways that need no registry.
 */
export function describePullFailure(image: string, reason: string): string {
  // dockerode prefixes the engine's message with "(HTTP code 404) unexpected - ".
  const text = reason.replace(/^\(HTTP code \d+\)\s*[\w ]*-\s*/, '').trim();
  if (/invalid reference format/i.test(text)) return `"${image}" is not a valid image name (${text})`;
  if (/dial tcp|lookup |no such host|i\/o timeout|connection refused|network is unreachable|TLS handshake timeout|Client\.Timeout|temporary failure in name resolution|proxyconnect|EAI_AGAIN/i.test(text)) {
    return `Could not pull ${image}: its registry cannot be reached (offline?): ${text}. ${offlineHint}`;
  }
  if (/manifest unknown|not found|does not exist|pull access denied|may require 'docker login'/i.test(text)) {
    return `Could not pull ${image}: the registry has no such image (check the name and tag): ${text}. ${offlineHint}`;
  }
  return `Could not pull ${image}: ${text}. ${offlineHint}`;
}
