import { createReadStream, statSync } from 'node:fs';
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/AppError.ts';

/**
 * Checks that `file` can be an image tarball (exists, is a file, not empty) and returns its
 * size, so a wrong path is reported before the engine is asked.
 */
export function checkImageTarball(file: string): number {
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new AppError('INVALID_INPUT', `${file} is not a file: give the tarball written by "docker save"`);
    size = stats.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('INVALID_INPUT', `Cannot read ${file}: ${(error as Error).message}`);
  }
  if (size === 0) throw new AppError('INVALID_INPUT', `${file} is empty: give the tarball written by "docker save"`);
  return size;
}

/**
 * `docker load` of an image tarball (made with `docker save` on a connected machine), for
 * air-gapped installs. Returns the tags the engine reports as loaded (or the image ID of an
 * untagged image).
 */
export async function loadImage(docker: Docker, file: string): Promise<string[]> {
  checkImageTarball(file);
  const stream = await docker.loadImage(createReadStream(file), { quiet: true });
  const output = await new Promise<string>((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
  const loaded: string[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    let message: { stream?: string; error?: string; errorDetail?: { message?: string } };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      message = { stream: line };
    }
    if (message.error) throw new AppError('INVALID_INPUT', `${file} could not be loaded: ${message.errorDetail?.message ?? message.error}`);
    const match = /Loaded image(?: ID)?: (\S+)/.exec(message.stream ?? '');
    if (match?.[1]) loaded.push(match[1]);
  }
  if (loaded.length === 0) throw new AppError('INVALID_INPUT', `${file} held no image the engine could load`);
  return loaded;
}
