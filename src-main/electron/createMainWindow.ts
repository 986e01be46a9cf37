import { BrowserWindow } from 'electron';
import { appProtocol } from './appProtocol.ts';
import { denyNavigation } from './denyNavigation.ts';
import { isDevToolsShortcut } from './isDevToolsShortcut.ts';

export interface MainWindowOptions {
  preloadPath: string;
  devServerUrl?: string;
  /** False in packaged builds: no DevTools by option, shortcut or menu. */
  devTools: boolean;
}

/**
 * The one window: isolated, sandboxed, no Node in the renderer, loaded from app://renderer/
 * (the dev server under `electron-vite dev`). Navigation away from our page and new windows are
 * refused; links to an allowed https host open in the user's browser instead.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Service Creator',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  window.once('ready-to-show', () => window.show());
  denyNavigation(window.webContents);
  if (!options.devTools) {
    window.webContents.on('before-input-event', (event, input) => {
      if (isDevToolsShortcut(input)) event.preventDefault();
    });
    window.webContents.on('devtools-opened', () => window.webContents.closeDevTools());
  }
  void window.loadURL(options.devServerUrl ?? appProtocol.indexUrl);
  return window;
}
