import type Docker from 'dockerode';
import tar from 'tar-stream';

export interface ContainerFile {
  /** Path inside the archive, relative to the folder asked for (`junit.xml`, not `out/junit.xml`). */
  name: string;
  /** The content, or undefined when the file was over `maxBytes` (then `size` says how big). */
  content: Buffer | undefined;
  size: number;
}

/**
 * The regular files under `path` in a (stopped) container, read with the engine's archive
 * endpoint: it reads volumes too, so it works after the container ended. A file over
 * `maxBytes` is skipped rather than buffered, since the tests wrote it and may have made it huge.
 * Returns an empty list when the path does not exist.
 */
export async function readContainerFiles(container: Docker.Container, path: string, maxBytes: number): Promise<ContainerFile[]> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return [];
    throw error;
  }
  const files: ContainerFile[] = [];
  const extract = tar.extract();
  const done = (async () => {
    for await (const entry of extract) {
      const { name, size = 0, type } = entry.header;
      if (type !== 'file' || size > maxBytes) {
        entry.resume();
        if (type === 'file') files.push({ name: withoutTop(name), content: undefined, size });
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      files.push({ name: withoutTop(name), content: Buffer.concat(chunks), size });
    }
  })();
  archive.on('error', (error: Error) => extract.destroy(error));
  archive.pipe(extract);
  await done;
  return files;
}

/** The archive of folder `out` names its entries `out/...`. */
function withoutTop(name: string): string {
  const slash = name.indexOf('/');
  return slash < 0 ? name : name.slice(slash + 1);
}
