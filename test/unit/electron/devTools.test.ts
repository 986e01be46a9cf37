import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { applicationMenuTemplate } from '../../../src-main/electron/applicationMenuTemplate.ts';
import { isDevToolsShortcut, type KeyInput } from '../../../src-main/electron/isDevToolsShortcut.ts';

const key = (key: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key, control: false, meta: false, shift: false, alt: false, ...mods });

describe('isDevToolsShortcut', () => {
  it.each([
    ['F12', key('F12')],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
    ['Ctrl+Shift+J', key('J', { control: true, shift: true })],
    ['Ctrl+Shift+C', key('C', { control: true, shift: true })],
    ['Cmd+Shift+i', key('i', { meta: true, shift: true })],
    ['Cmd+Alt+I', key('I', { meta: true, alt: true })],
    ['Cmd+Alt+J', key('j', { meta: true, alt: true })],
  ])('catches %s', (_name, input) => {
    expect(isDevToolsShortcut(input)).toBe(true);
  });

  it.each([
    ['Ctrl+C (copy)', key('c', { control: true })],
    ['Ctrl+Shift+K', key('K', { control: true, shift: true })],
    ['Shift+I (typing)', key('I', { shift: true })],
    ['F12 released', { ...key('F12'), type: 'keyUp' }],
    ['F11', key('F11')],
  ])('lets %s through', (_name, input) => {
    expect(isDevToolsShortcut(input)).toBe(false);
  });
});

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

describe('applicationMenuTemplate', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('has no DevTools or reload entry in a packaged build on %s', (platform) => {
    const found = roles(applicationMenuTemplate({ platform, devTools: false }));
    expect(found).not.toContain('toggleDevTools');
    expect(found).not.toContain('reload');
    expect(found).not.toContain('forceReload');
    expect(found).toContain('editMenu'); // copy and paste still work
  });

  it('keeps DevTools while developing, and is built from roles only (no click handlers)', () => {
    const template = applicationMenuTemplate({ platform: 'darwin', devTools: true });
    expect(roles(template)).toContain('toggleDevTools');
    expect(roles(template)).toContain('appMenu');
    const clicks = (items: MenuItemConstructorOptions[]): number =>
      items.reduce((n, item) => n + (item.click ? 1 : 0) + (Array.isArray(item.submenu) ? clicks(item.submenu) : 0), 0);
    expect(clicks(template)).toBe(0);
  });
});
