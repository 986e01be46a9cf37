import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { AppError } from '../../src-shared/AppError.ts';
import { createCore, type Core } from '../core/createCore.ts';
import { resolveDataDir } from '../paths/resolveDataDir.ts';
import { appProtocol } from './appProtocol.ts';
import { applicationMenuTemplate } from './applicationMenuTemplate.ts';
import { contentSecurityPolicy } from './contentSecurityPolicy.ts';
import { createAppProtocolHandler } from './createAppProtocolHandler.ts';
import { createMainWindow } from './createMainWindow.ts';
import { desktopExportChannels } from './desktopExportChannels.ts';
import { denyNavigation } from './denyNavigation.ts';
import { hardenSession } from './hardenSession.ts';
import { readInlineStyleHashes } from './inlineStyleHashes.ts';
import { createTrustedUrlCheck } from './isTrustedRendererUrl.ts';
import { registerIpc } from './registerIpc.ts';
import { launchUtilityScript } from './launchUtilityScript.ts';

// The Electron shell is mechanical: every decision lives in the core, which the CLI and the
// bridge share. This file only wires windows, IPC and events to it.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererDir = join(import.meta.dirname, '../renderer');
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');
const isTrusted = createTrustedUrlCheck(rendererDir, devServerUrl);
// DevTools only while developing: an installed app has none (option, shortcut and menu).
const devTools = !app.isPackaged;

// Custom schemes get their privileges before the app is ready, or never.
protocol.registerSchemesAsPrivileged([{ scheme: appProtocol.scheme, privileges: appProtocol.privileges }]);

// The single-instance lock lives in userData, so set it first: two different data folders
// (SERVICE_CREATOR_HOME) are two apps, one data folder is one app.
const dataDir = resolveDataDir();
app.setPath('userData', dataDir);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: Core | undefined;
  let window: BrowserWindow | undefined;

  const open = () => {
    window = createMainWindow({ preloadPath, devTools, ...(devServerUrl ? { devServerUrl } : {}) });
    window.on('closed', () => (window = undefined));
  };

  app.on('second-instance', () => {
    if (!window) return open();
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents) => denyNavigation(contents));

  app.whenReady().then(() => {
    try {
      core = createCore({
        dataDir,
        host: 'electron',
        watchExternalChanges: true,
        // pyright runs as a utility process (the fuses refuse running the app binary as Node).
        launchNodeScript: launchUtilityScript,
        // Installers carry resources/ next to the app (electron-builder extraResources).
        resourcesDir: app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources'),
        ...(app.isPackaged ? { extraModelDirs: [] } : {}),
      });
    } catch (error) {
      const message = error instanceof AppError ? error.message : `Service Creator could not start: ${String(error)}`;
      dialog.showErrorBox('Service Creator', message);
      app.exit(1);
      return;
    }
    // index.html inlines its main stylesheet (the shell paints without a second request): the CSP admits it by hash.
    const styleHashes = readInlineStyleHashes(rendererDir);
    protocol.handle(appProtocol.scheme, createAppProtocolHandler(rendererDir, contentSecurityPolicy(undefined, styleHashes)));
    hardenSession(session.defaultSession, isTrusted, { allowDevTools: devTools, styleHashes, ...(devServerUrl ? { devServerUrl } : {}) });
    Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate({ platform: process.platform, devTools })));
    const pickFolder = async (defaultPath: string | undefined): Promise<string | null> => {
      const options = { title: 'Choose where to put the project folder', properties: ['openDirectory' as const, 'createDirectory' as const], ...(defaultPath ? { defaultPath } : {}) };
      const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    };
    registerIpc(ipcMain, desktopExportChannels(core.dispatch, { pickFolder, openFolder: (path) => shell.openPath(path), showFile: (path) => shell.showItemInFolder(path) }), isTrusted);
    core.bus.subscribe((event, payload) => {
      for (const each of BrowserWindow.getAllWindows()) each.webContents.send(event, payload);
    });
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Log lines and spans still pending go out first, for at most 3 s (observability.flush), then the core closes.
  let flushed = false;
  app.on('will-quit', (event) => {
    if (!core || flushed) return core?.close();
    event.preventDefault();
    flushed = true;
    void core.observability.flush().finally(() => {
      core?.close();
      app.quit();
    });
  });
}
