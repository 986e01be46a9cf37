import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

/**
 * A file of the installed `pyright` package, as a path a child Node can run. In a packaged app the
 * package is unpacked from the asar archive (electron-builder.yml asarUnpack), so the path goes
 * to `app.asar.unpacked`: the child runs it as plain files, and pyright reads its thousands of
 * bundled stubs from disk.
 */
export function pyrightPackageFile(name: string): string {
  const folder = dirname(createRequire(import.meta.url).resolve('pyright/package.json'));
  return join(folder, name).replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
}
