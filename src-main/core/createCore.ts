import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { AppInfo } from '../../src-shared/domain/appInfo.ts';
import { openDatabase } from '../store/openDatabase.ts';
import { latestSchemaVersion } from '../store/migrations/index.ts';
import { appName, appVersion } from './appVersion.ts';
import { createDispatch, type Dispatch } from './createDispatch.ts';
import { createHandlers } from './createHandlers.ts';
import { EventBus } from './EventBus.ts';
import { watchExternalChanges } from './watchExternalChanges.ts';

export const databaseFileName = 'service-creator.db';

export interface CoreOptions {
  dataDir: string;
  host: AppInfo['host'];
  now?: () => Date;
  /** Announce changes other processes make to the database (long-lived faces: Electron, serve). */
  watchExternalChanges?: boolean;
  onInternalError?: (channel: string, error: unknown) => void;
}

export interface Core {
  dispatch: Dispatch;
  bus: EventBus;
  db: Database;
  close(): void;
}

/** Builds the core every face shares: store, handlers, the dispatcher and the event bus. */
export function createCore(options: CoreOptions): Core {
  const databasePath = join(options.dataDir, databaseFileName);
  const db = openDatabase(databasePath);
  const bus = new EventBus();
  const appInfo = (): AppInfo => ({
    name: appName,
    version: appVersion,
    host: options.host,
    platform: process.platform,
    dataDir: options.dataDir,
    databasePath,
    schemaVersion: latestSchemaVersion,
    networkUse: [],
  });
  const handlers = createHandlers({ db, bus, appInfo, ...(options.now ? { now: options.now } : {}) });
  const dispatch = createDispatch(handlers, {
    onInternalError: options.onInternalError ?? ((channel, error) => console.error(`[${channel}]`, error)),
  });
  const stopWatching = options.watchExternalChanges ? watchExternalChanges(db, bus) : () => undefined;
  let closed = false;
  return {
    dispatch,
    bus,
    db,
    close() {
      if (closed) return;
      closed = true;
      stopWatching();
      db.close();
    },
  };
}
