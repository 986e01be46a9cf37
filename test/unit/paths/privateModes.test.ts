import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, databaseFileName } from '../../../src-main/core/createCore.ts';
import { downloadModel } from '../../../src-main/providers/download/downloadModel.ts';
import { importModel } from '../../../src-main/providers/localModels.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { writeTinyGguf } from '../../fixtures/makeTinyGguf.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * Issue 12 item 5: the data folder was created 0755 and the database 0644, readable by every user
 * on the machine. Run with umask 0 so that only explicit modes can pass: what the umask would
 * have taken away is not there to take.
 */
const posix = process.platform !== 'win32';
const tempDir = useTempDirs();
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

let savedUmask = 0;
beforeEach(() => {
  savedUmask = process.umask(0);
});
afterEach(() => {
  process.umask(savedUmask);
});

describe.runIf(posix)('the data folder is private to the user', () => {
  it('a fresh data folder is 0700 and the database, its -wal and -shm are 0600', async () => {
    const dataDir = join(tempDir('sc-private-'), 'data');
    const core = createCore({ dataDir, host: 'cli', env: {} });
    try {
      await core.dispatch('projects.create', { name: 'Private' });
      const database = join(dataDir, databaseFileName);
      expect(existsSync(`${database}-wal`)).toBe(true);
      expect(existsSync(`${database}-shm`)).toBe(true);
      expect({ folder: mode(dataDir), database: mode(database), wal: mode(`${database}-wal`), shm: mode(`${database}-shm`) }).toEqual({
        folder: '700',
        database: '600',
        wal: '600',
        shm: '600',
      });
    } finally {
      await core.dispose();
    }
  });

  it('tightens a data folder an older version left 0755 with a 0644 database, -wal and -shm, keeping the data', () => {
    const dataDir = join(tempDir('sc-private-'), 'data');
    const database = join(dataDir, databaseFileName);
    const first = openDatabase(database);
    first.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"')").run();
    // Open a second time so that -wal and -shm stay while we loosen them (as a crash would leave them).
    const holder = openDatabase(database);
    for (const path of [database, `${database}-wal`, `${database}-shm`]) chmodSync(path, 0o644);
    chmodSync(dataDir, 0o755);
    const reopened = openDatabase(database);
    expect({ folder: mode(dataDir), database: mode(database), wal: mode(`${database}-wal`), shm: mode(`${database}-shm`) }).toEqual({
      folder: '700',
      database: '600',
      wal: '600',
      shm: '600',
    });
    expect(reopened.prepare("SELECT value FROM settings WHERE key = 'theme'").pluck().get()).toBe('"dark"');
    for (const db of [reopened, holder, first]) db.close();
  });

  it('an existing models folder is tightened when the core opens, and imported models are 0600', async () => {
    const dataDir = join(tempDir('sc-private-'), 'data');
    const modelsDir = join(dataDir, 'models');
    mkdirSync(modelsDir, { recursive: true, mode: 0o755 });
    chmodSync(modelsDir, 0o755);
    const source = join(tempDir('sc-private-src-'), 'tiny.gguf');
    writeTinyGguf(source);
    chmodSync(source, 0o644);
    const core = createCore({ dataDir, host: 'cli', env: {} });
    await core.dispose();
    expect(mode(modelsDir)).toBe('700');
    const imported = await importModel(source, join(tempDir('sc-private-'), 'fresh-models'));
    expect({ folder: mode(dirname(imported.path)), model: mode(imported.path) }).toEqual({ folder: '700', model: '600' });
  });
});

describe.runIf(posix)('downloads into the models folder', () => {
  let server: Server;
  let baseUrl = '';
  let model: Buffer;

  beforeAll(async () => {
    const file = join(tempDir('sc-private-src-'), 'tiny.gguf');
    writeTinyGguf(file);
    model = readFileSync(file);
    server = createServer((request, response) => {
      const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream', 'content-length': model.length, 'accept-ranges': 'bytes' };
      response.writeHead(200, headers);
      response.end(request.method === 'HEAD' ? undefined : model);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a downloaded model is 0600 in a 0700 folder', async () => {
    const modelsDir = join(tempDir('sc-private-'), 'models');
    const downloaded = await downloadModel(`${baseUrl}/tiny.gguf`, modelsDir);
    expect({ folder: mode(modelsDir), model: mode(downloaded.path) }).toEqual({ folder: '700', model: '600' });
  });
});
