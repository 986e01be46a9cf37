import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../src-main/paths/resolveDataDir.ts';

describe('resolveDataDir', () => {
  it('prefers SERVICE_CREATOR_HOME', () => {
    expect(resolveDataDir({ SERVICE_CREATOR_HOME: '/data/sc' }, 'linux', '/home/u')).toBe('/data/sc');
  });
  it('ignores a blank SERVICE_CREATOR_HOME', () => {
    expect(resolveDataDir({ SERVICE_CREATOR_HOME: '  ' }, 'linux', '/home/u')).toBe('/home/u/.config/service-creator');
  });
  it('follows XDG on Linux', () => {
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/service-creator');
  });
  it('uses Application Support on macOS', () => {
    expect(resolveDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/service-creator');
  });
  it('uses APPDATA on Windows', () => {
    expect(resolveDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toMatch(/Roaming[\\/]service-creator$/);
  });
});
