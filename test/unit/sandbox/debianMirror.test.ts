import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pythonImageScript } from '../../../src-main/sandbox/buildImage.ts';

const roots: string[] = [];

/** The mirror the image recipe picks for an /etc/apt made of `files` (path under etc/apt → text). */
function mirrorFor(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sc-apt-'));
  roots.push(root);
  mkdirSync(join(root, 'etc/apt/sources.list.d'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'etc/apt', path)), { recursive: true });
    writeFileSync(join(root, 'etc/apt', path), text);
  }
  const result = spawnSync('bash', [pythonImageScript, '--print-mirror'], { env: { ...process.env, APT_ROOT: root }, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.trim();
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('the image recipe finds the Debian mirror apt uses', () => {
  it('reads deb822 .sources (Debian 12+), skipping comments and the security archive', () => {
    const debian = [
      'Types: deb',
      '# http://snapshot.debian.org/archive/debian/20250520T000000Z',
      'URIs: http://mirror.example.net/debian/',
      'Suites: bookworm bookworm-updates',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb',
      'URIs: http://deb.debian.org/debian-security',
      'Suites: bookworm-security',
      'Components: main',
    ].join('\n');
    expect(mirrorFor({ 'sources.list.d/debian.sources': debian })).toBe('http://mirror.example.net/debian');
    const securityFirst = debian.split('\n\n').reverse().join('\n\n');
    expect(mirrorFor({ 'sources.list.d/debian.sources': securityFirst })).toBe('http://mirror.example.net/debian');
  });

  it('skips deb-src only, disabled stanzas and URIs debootstrap cannot use', () => {
    const sources = [
      'Types: deb-src',
      'URIs: http://src.example.net/debian',
      'Suites: trixie',
      '',
      'Types: deb',
      'Enabled: no',
      'URIs: http://off.example.net/debian',
      'Suites: trixie',
      '',
      'types: deb deb-src',
      'uris: mirror+file:/etc/apt/mirrors/debian.list http://on.example.net/debian',
      'suites: trixie trixie-updates',
    ].join('\n');
    expect(mirrorFor({ 'sources.list.d/debian.sources': sources })).toBe('http://on.example.net/debian');
  });

  it('reads one-line sources.list with [options] and comments', () => {
    const list = [
      '# deb http://commented.example.net/debian bookworm main',
      'deb-src http://src.example.net/debian bookworm main',
      'deb http://security.debian.org/debian-security bookworm-security main',
      'deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] https://mirror.example.org/debian bookworm main # local',
    ].join('\n');
    expect(mirrorFor({ 'sources.list': list })).toBe('https://mirror.example.org/debian');
    expect(mirrorFor({ 'sources.list.d/local.list': 'deb file:/srv/debian stable main\n' })).toBe('file:/srv/debian');
  });

  it('prefers deb822 files to sources.list', () => {
    const files = {
      'sources.list': 'deb http://list.example.net/debian bookworm main\n',
      'sources.list.d/debian.sources': 'Types: deb\nURIs: http://sources.example.net/debian\nSuites: bookworm\nComponents: main\n',
    };
    expect(mirrorFor(files)).toBe('http://sources.example.net/debian');
  });

  it("prefers Debian's own sources to third-party repositories that use a Debian suite name", () => {
    const vendor = 'Types: deb\nURIs: https://packages.vendor.example/debian/12/prod\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/vendor.gpg\n';
    expect(
      mirrorFor({
        'sources.list.d/a-vendor.sources': vendor,
        'sources.list.d/debian.sources': 'Types: deb\nURIs: http://cache.local:3142/deb.debian.org/debian\nSuites: bookworm\nComponents: main\n',
      }),
    ).toBe('http://cache.local:3142/deb.debian.org/debian');
    expect(
      mirrorFor({
        'sources.list.d/a-vendor.sources': vendor,
        'sources.list': 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.corp.example/pub/debian bookworm main\n',
      }),
    ).toBe('http://mirror.corp.example/pub/debian');
    // A local mirror with nothing that says Debian: the first source of a Debian suite.
    expect(mirrorFor({ 'sources.list': 'deb http://mirror.corp.example/debian bookworm-updates main\n' })).toBe('http://mirror.corp.example/debian');
  });

  it("falls back to Debian's CDN without a Debian source (none, Ubuntu, third-party)", () => {
    expect(mirrorFor({})).toBe('http://deb.debian.org/debian');
    expect(
      mirrorFor({
        'sources.list.d/ubuntu.sources': 'Types: deb\nURIs: http://archive.ubuntu.com/ubuntu/\nSuites: noble noble-updates\nComponents: main\n',
        'sources.list.d/docker.list': 'deb [arch=amd64] https://download.docker.com/linux/debian bookworm-stable stable\n',
      }),
    ).toBe('http://deb.debian.org/debian');
  });
});
