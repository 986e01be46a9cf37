// The audit trail's head file is written through a temporary file beside it; a link planted at
// that temporary name (the data folder is the user's, but a link there must not make the app
// write elsewhere) is replaced, never written through.
import { lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditRepository } from '../../../src-main/store/AuditRepository.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const tempDir = useTempDirs();

describe.skipIf(process.platform === 'win32')('the audit head file', () => {
  it('never writes through a link planted at its temporary name', () => {
    const dir = tempDir();
    const victim = join(tempDir(), 'precious.txt');
    writeFileSync(victim, 'precious\n');
    const headFile = join(dir, 'audit-head.json');
    symlinkSync(victim, `${headFile}.${process.pid}.tmp`);
    const db = openDatabase(join(dir, 'service-creator.db'));
    const audit = new AuditRepository(db, headFile);
    audit.append({ at: '2026-01-01T00:00:00.000Z', requestId: 'r1', attemptNo: 1, task: 'code', providerId: 'cloud', host: 'api.example', model: 'gpt', outcome: 'ok', bytesSent: 1, bytesReceived: 1, promptSha256: 'a'.repeat(64), redactions: {}, reason: 'r' });
    audit.flush();
    db.close();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(headFile).isSymbolicLink()).toBe(false);
    expect(JSON.parse(readFileSync(headFile, 'utf8'))).toMatchObject({ seq: 1 });
  });
});
