import { createReadStream, realpathSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import tar from 'tar-stream';

/**
 * The Node image (`node:24-bookworm-slim`) cannot be pulled on an offline machine, so docker
 * tests use a stand-in: the offline Python image plus the Node binary running them (a glibc
 * build, which runs on bookworm). Built once per engine and kept; no network needed.
 */
export const standInNodeImage = 'service-creator/sandbox-test-node:dev';

export async function ensureStandInNodeImage(docker: Docker, pythonImage: string): Promise<string> {
  if (await docker.getImage(standInNodeImage).inspect().then(() => true, () => false)) return standInNodeImage;
  const binary = realpathSync(process.execPath);
  const context = tar.pack();
  const dockerfile = `FROM ${pythonImage}\nCOPY node /usr/local/bin/node\n`;
  context.entry({ name: 'Dockerfile', size: Buffer.byteLength(dockerfile) }, dockerfile);
  const entry = context.entry({ name: 'node', size: statSync(binary).size, mode: 0o755 });
  const copied = pipeline(createReadStream(binary), entry as unknown as NodeJS.WritableStream).then(() => context.finalize());
  const output = await docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: standInNodeImage });
  await copied;
  await new Promise<void>((resolve, reject) => docker.modem.followProgress(output, (error: Error | null) => (error ? reject(error) : resolve())));
  return standInNodeImage;
}
