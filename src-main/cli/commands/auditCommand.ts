import { resolve } from 'node:path';
import { Command } from 'commander';
import type { AuditRowView } from '../../../src-shared/domain/audit.ts';
import { CliExit } from '../CliExit.ts';
import type { CliContext } from '../CliContext.ts';
import { cliProtectedFolders } from '../cliProtectedFolders.ts';
import { wholeNumberOption } from '../wholeNumberOption.ts';
import { writeFileAtomic } from '../writeFileAtomic.ts';
import { terminalSafeJson } from '../../../src-shared/terminalSafeJson.ts';

/**
 * A row's or verdict's text on one line: a line break in a field (a model name a server listed, a
 * row edited in the database) is shown as `\n`, so it cannot print what looks like another row or
 * another verdict (the terminal-safe output escapes the rest).
 */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u0085\u2028\u2029]/g, (char) => (char === '\n' ? '\\n' : char === '\r' ? '\\r' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

function describeRow(row: AuditRowView): string {
  const redacted = Object.entries(row.redactions).map(([kind, count]) => `${count} ${kind}`).join(', ');
  return oneLine(`#${row.seq}  ${row.at}  ${row.task} → ${row.providerId} at ${row.host} (${row.model}), ${row.outcome}, ${row.bytesSent} bytes sent, ${row.bytesReceived} received${redacted ? `, taken out: ${redacted}` : ''}`);
}

/** The audit trail of what left the machine: show it, check its hash chain, export it. */
export function auditCommand(context: () => CliContext): Command {
  const audit = new Command('audit').description('the record of every request that left this machine (to a cloud provider or a server elsewhere)');
  audit
    .command('show')
    .description('the newest requests first')
    .option('--limit <n>', 'how many (1 to 10000)', wholeNumberOption(1, 10_000), 20)
    .action(async (options: { limit: number }) => {
      const ctx = context();
      const rows = await ctx.call('audit.list', { limit: options.limit });
      if (ctx.output.json) {
        for (const row of rows) ctx.output.result('audit', { row }, '');
        return;
      }
      ctx.output.result('audit', {}, rows.length === 0 ? 'Nothing has left this machine: no request was sent to a cloud provider or a server elsewhere.' : rows.map(describeRow).join('\n'));
    });
  audit
    .command('verify')
    .description('check that no row was changed, deleted or moved since it was written (exit 1 if one was)')
    .action(async () => {
      const ctx = context();
      const verdict = await ctx.call('audit.verify');
      if (verdict.ok) {
        ctx.output.result('audit-verify', { verdict }, `The audit trail is intact: ${verdict.rows} row${verdict.rows === 1 ? '' : 's'}, each chained to the one before.`);
        return;
      }
      ctx.output.result('audit-verify', { verdict }, `The audit trail was tampered with: ${oneLine(verdict.problem)}.`);
      throw new CliExit(1, 'the audit trail was tampered with');
    });
  audit
    .command('export')
    .description('write the whole trail as JSON lines, oldest first')
    .argument('<file>', 'where to write it')
    .option('--force', 'replace the file if it exists')
    .action((file: string, options: { force?: boolean }) => {
      const ctx = context();
      const rows = [...ctx.core().gateway.audit.all()];
      const target = resolve(file);
      writeFileAtomic(target, rows.map((row) => terminalSafeJson(JSON.stringify(row))).join('\n') + (rows.length > 0 ? '\n' : ''), { overwrite: options.force === true, protect: cliProtectedFolders(ctx) });
      ctx.output.result('audit-export', { file: target, rows: rows.length }, `Wrote ${rows.length} row${rows.length === 1 ? '' : 's'} to ${target}`);
    });
  return audit;
}
