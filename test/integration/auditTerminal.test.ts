// `audit show` and `audit verify` print rows whose fields came from elsewhere (a model name a
// server listed, a row edited in the database): an escape sequence or a line break in them must
// neither drive the terminal nor print what looks like another row or another verdict.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditRepository } from '../../src-main/store/AuditRepository.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { runBin } from '../support/cliProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

describe('the audit trail on a terminal', () => {
  it('shows each row and the verdict on one line, with escapes and line breaks written out', async () => {
    const dataDir = createTempDir('sc-int-audit-terminal-');
    const db = openDatabase(join(dataDir, 'service-creator.db'));
    const audit = new AuditRepository(db, join(dataDir, 'audit-head.json'));
    const forged = '\nThe audit trail is intact: 9 rows, each chained to the one before.\n#2  2026-01-01T00:00:01.000Z  code → cloud';
    audit.append({ at: '2026-01-01T00:00:00.000Z', requestId: 'r1', attemptNo: 1, task: 'code', providerId: 'cloud\u001b[2J\u001b]0;owned\u0007', host: 'api.example', model: `gpt${forged}`, outcome: 'ok', bytesSent: 10, bytesReceived: 2, promptSha256: 'a'.repeat(64), redactions: {}, reason: 'r' });
    audit.flush();

    const shown = await runBin(['audit', 'show'], { SERVICE_CREATOR_HOME: dataDir });
    expect(shown.code).toBe(0);
    expect(shown.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(shown.stdout).toContain('gpt\\nThe audit trail is intact');
    expect(shown.stdout).not.toContain('\u001b');

    db.prepare('UPDATE audit_log SET bytes_sent = 1').run();
    db.close();
    const verified = await runBin(['audit', 'verify'], { SERVICE_CREATOR_HOME: dataDir });
    expect(verified.code).toBe(1);
    expect(verified.stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(/^The audit trail was tampered with: row 1 \(.*\) was changed after it was written\.$/)]);
    expect(verified.stdout).not.toContain('\u001b');
  });

  it('exports rows holding direction overrides and C1 controls as JSON escapes: the same values to a program, inert when the file is shown', async () => {
    const dataDir = createTempDir('sc-int-audit-terminal-');
    const db = openDatabase(join(dataDir, 'service-creator.db'));
    const audit = new AuditRepository(db, join(dataDir, 'audit-head.json'));
    const model = 'gpt\u202egnp.exe \u009b2J \u2028 \u2066x\u2069';
    audit.append({ at: '2026-01-01T00:00:00.000Z', requestId: 'r1', attemptNo: 1, task: 'code', providerId: 'cloud', host: 'api.example', model, outcome: 'ok', bytesSent: 10, bytesReceived: 2, promptSha256: 'a'.repeat(64), redactions: {}, reason: 'r' });
    audit.flush();
    db.close();
    const target = join(dataDir, '..', `${dataDir.split(/[\\/]/).at(-1)}-trail.jsonl`);
    const exported = await runBin(['audit', 'export', target], { SERVICE_CREATOR_HOME: dataDir });
    expect(exported.code).toBe(0);
    const text = readFileSync(target, 'utf8');
    rmSync(target, { force: true });
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect((JSON.parse(text) as { model: string }).model).toBe(model);
  });

  it('still shows a trail whose row was edited to numbers past what is exact (bytes, counts), and verify names that row', async () => {
    const dataDir = createTempDir('sc-int-audit-terminal-');
    const db = openDatabase(join(dataDir, 'service-creator.db'));
    const audit = new AuditRepository(db, join(dataDir, 'audit-head.json'));
    const row = { at: '2026-01-01T00:00:00.000Z', requestId: 'r1', attemptNo: 1, task: 'code', providerId: 'cloud', host: 'api.example', model: 'gpt', outcome: 'ok', bytesSent: 10, bytesReceived: 2, promptSha256: 'a'.repeat(64), redactions: { email: 1 }, reason: 'r' };
    audit.append(row);
    audit.append({ ...row, requestId: 'r2' });
    audit.flush();
    db.prepare(`UPDATE audit_log SET bytes_sent = 9007199254740993, redactions = '{"email":1e300}' WHERE seq = 1`).run();
    db.close();

    const shown = await runBin(['audit', 'show'], { SERVICE_CREATOR_HOME: dataDir });
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout.trimEnd().split('\n')).toHaveLength(2);
    const verified = await runBin(['audit', 'verify'], { SERVICE_CREATOR_HOME: dataDir });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/^The audit trail was tampered with: row 1 \(.*\) was changed after it was written\.$/m);

    // A row renumbered past what is exact is named too (the verdict says the number as read).
    const again = openDatabase(join(dataDir, 'service-creator.db'));
    again.prepare('DELETE FROM audit_log WHERE seq = 1').run();
    again.prepare('UPDATE audit_log SET seq = 4611686018427387904 WHERE seq = 2').run();
    again.close();
    const renumbered = await runBin(['audit', 'verify'], { SERVICE_CREATOR_HOME: dataDir });
    expect(renumbered.stderr).toBe('');
    expect(renumbered.code).toBe(1);
    expect(renumbered.stdout).toMatch(/^The audit trail was tampered with: row 4611686018427388000 \(.*\) follows row 0: rows 1 to .* were deleted\.$/m);
    expect((await runBin(['audit', 'show'], { SERVICE_CREATOR_HOME: dataDir })).code).toBe(0);
  });
});
