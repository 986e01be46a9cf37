// A process that appends rows to the audit trail of a data folder as fast as it can, writing the
// head file after each (as a process does within a second of its rows), once told `go` on stdin;
// between appends it reads the head file and counts the times it found it moved back (a row it
// or another process had already named there named no longer). Says `{"type":"done",...}` on
// stdout. Run: node test/support/auditAppender.ts <data folder> <rows> <name>.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AuditRepository } from '../../src-main/store/AuditRepository.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';

const [dataDir, rowsArg, name] = process.argv.slice(2);
if (dataDir === undefined || rowsArg === undefined || name === undefined) throw new Error('usage: auditAppender.ts <data folder> <rows> <name>');
const db = openDatabase(join(dataDir, 'service-creator.db'));
const headFile = join(dataDir, 'audit-head.json');
const audit = new AuditRepository(db, headFile);
const headSeq = (): number => {
  try {
    return (JSON.parse(readFileSync(headFile, 'utf8')) as { seq: number }).seq;
  } catch {
    return -1;
  }
};

process.stdout.write(`${JSON.stringify({ type: 'ready' })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'go') continue;
  let seen = 0;
  let movedBack = 0;
  for (let n = 0; n < Number(rowsArg); n += 1) {
    const row = audit.append({
      at: new Date().toISOString(),
      requestId: `${name}-${n}`,
      attemptNo: 1,
      task: 'code',
      providerId: 'cloud',
      host: 'api.example.com',
      model: 'gpt-fake',
      outcome: 'ok',
      bytesSent: 10,
      bytesReceived: 20,
      promptSha256: 'a'.repeat(64),
      redactions: {},
      reason: 'routing for code',
    });
    audit.flush();
    seen = Math.max(seen, row.seq);
    const head = headSeq();
    if (head < seen) movedBack += 1;
    seen = Math.max(seen, head);
  }
  db.close();
  process.stdout.write(`${JSON.stringify({ type: 'done', movedBack })}\n`);
  break;
}
