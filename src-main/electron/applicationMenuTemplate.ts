import type { MenuItemConstructorOptions } from 'electron';

/**
 * The app's menu, built from roles only. Packaged builds (devTools false) have no Reload and no
 * Toggle Developer Tools entries, which Electron's default menu would add.
 */
export function applicationMenuTemplate(options: { platform: NodeJS.Platform; devTools: boolean }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    ...(options.devTools ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(options.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}
