import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

/** A fresh folder under the OS temp dir; removed by `removeTempDirs()` (call it in afterEach/afterAll). */
export function createTempDir(prefix = 'sc-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const testIndexHtml = '<!doctype html><html><head><title>Test UI</title></head><body><div id="root"></div></body></html>\n';
export const testAppJs = 'console.log("test app");\n';

/** A minimal built renderer: index.html and assets/app.js. */
export function createRendererDir(): string {
  const dir = createTempDir('sc-renderer-');
  writeFileSync(join(dir, 'index.html'), testIndexHtml);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), testAppJs);
  return dir;
}
