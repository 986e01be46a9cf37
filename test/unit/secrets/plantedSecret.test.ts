import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { assertNotInFiles, findSecretInFiles, plantedSecret } from '../../support/plantedSecret.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

describe('plantedSecret', () => {
  const tempDir = useTempDirs();

  it('looks like an API key, is random and is a valid secret', async () => {
    expect(plantedSecret).toMatch(/^sk-planted-[0-9a-f]{32}$/);
    const { validateSecret } = await import('../../../src-main/secrets/SecretStore.ts');
    expect(validateSecret(plantedSecret)).toBe(plantedSecret);
  });

  it('passes on a folder without the secret', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'sk-planted-but-not-this-one');
    assertNotInFiles(dir);
  });

  it('finds it in nested text files, as UTF-16 and inside base64, naming the files but not the secret', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'logs', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'logs', 'deep', 'app.log'), `request with key ${plantedSecret}\n`);
    writeFileSync(join(dir, 'wide.bin'), Buffer.from(`x${plantedSecret}`, 'utf16le'));
    for (const prefix of ['', 'a', 'ab']) {
      writeFileSync(join(dir, `b64-${prefix.length}.txt`), Buffer.from(`${prefix}Bearer ${plantedSecret} end`).toString('base64'));
    }
    const hits = findSecretInFiles(dir);
    expect(hits.map((hit) => hit.file).sort()).toEqual(['b64-0.txt', 'b64-1.txt', 'b64-2.txt', join('logs', 'deep', 'app.log'), 'wide.bin']);
    let message = '';
    try {
      assertNotInFiles(dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/found in 5 place\(s\)/);
    expect(message).toContain(join('logs', 'deep', 'app.log'));
    expect(message).not.toContain(plantedSecret);
  });

  it('finds it in a SQLite database and its WAL', () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'app.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)');
    db.prepare('INSERT INTO settings VALUES (?, ?)').run('openai', JSON.stringify({ apiKey: plantedSecret }));
    // Still open, not checkpointed: the row is in app.db-wal only.
    const walHits = findSecretInFiles(dir).map((hit) => hit.file);
    expect(walHits).toContain('app.db-wal');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(findSecretInFiles(dir).map((hit) => hit.file)).toContain('app.db');
  });

  it('does not follow symlinks out of the folder', () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.txt'), plantedSecret);
    const dir = tempDir();
    symlinkSync(outside, join(dir, 'link'));
    assertNotInFiles(dir);
  });

  it('refuses a too-short secret (matches would mean nothing)', () => {
    expect(() => findSecretInFiles(tempDir(), 'sk-1')).toThrow(/at least 8/);
  });
});
