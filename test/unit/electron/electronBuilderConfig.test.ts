import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const config = parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

/** The fuse each setting must have in an installer; weakening one (or dropping it) fails here. */
const requiredFuses = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
} as const;

describe('electron-builder.yml', () => {
  it('packs the app into an asar archive', () => {
    expect(config.asar).toBe(true);
  });

  it.each(Object.entries(requiredFuses))('sets the fuse %s to %s', (fuse, value) => {
    const fuses = config.electronFuses as Record<string, unknown> | undefined;
    expect(fuses?.[fuse]).toBe(value);
  });

  it('names only fuses electron-builder knows (a misspelt key would be dropped silently)', () => {
    const require = createRequire(join(repoRoot, 'package.json'));
    const scheme = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    expect(known.length).toBeGreaterThan(0);
    for (const key of Object.keys(config.electronFuses as object)) expect(known, key).toContain(key);
    for (const key of Object.keys(requiredFuses)) expect(known, key).toContain(key);
  });
});
