import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src-shared/csv.ts';
import type { UsageGroup, UsageSummary } from '../../../src-shared/domain/usage.ts';
import { usageSummaryCsv } from '../../../src-shared/usage/usageCsv.ts';

const figures: Omit<UsageGroup, 'key' | 'label'> = {
  calls: 3,
  errors: 1,
  cancelled: 0,
  skipped: 2,
  cacheHits: 1,
  requests: 3,
  cacheHitRate: 1 / 3,
  inputTokens: 1200,
  outputTokens: 300,
  costUsd: null,
  knownCostUsd: 0.0123456789,
  unpricedCalls: 1,
  latencyP50Ms: 420,
  latencyP95Ms: 900,
  firstTokenP50Ms: null,
};

describe('CSV', () => {
  it('quotes fields holding a comma, a quote or a line end (RFC 4180), ends records with CRLF', () => {
    expect(toCsv([['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\rhere'], [1, null, 2.5]])).toBe('a,"b,c","say ""hi""","two\nlines","cr\rhere"\r\n1,,2.5\r\n');
  });

  it('turns text a spreadsheet would run as a formula into plain text, numbers stay numbers', () => {
    expect(['=1+1', '+cmd', '-2', '@SUM(A1)', '\t=x', '\0=x', 'plain'].map(csvField)).toEqual(["'=1+1", "'+cmd", "'-2", "'@SUM(A1)", '"\'\t=x"', '\\u0000=x', 'plain']);
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('quotes a field holding a semicolon or a tab, so a spreadsheet that splits at them (a European locale\'s list separator, a paste as tab-separated) never starts a new cell with a formula from inside a name', () => {
    expect(csvField('x;=HYPERLINK(1)')).toBe('"x;=HYPERLINK(1)"');
    expect(csvField('x\t=1+1')).toBe('"x\t=1+1"');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(toCsv([['m;@SUM(A1)', 1]])).toBe('"m;@SUM(A1)",1\r\n');
  });

  it('writes direction overrides and control characters in a name as visible escapes, so the page\'s export shows a spoofed name (gnp.exe reversed) as it is, the same file the CLI writes', () => {
    expect(csvField('photo\u202egnp.exe')).toBe('photo\\u202egnp.exe');
    expect(csvField('\u2066x\u2069 \u001b[2J \u0007 \u009b1m')).toBe('\\u2066x\\u2069 \\u001b[2J \\u0007 \\u009b1m');
    // A NUL that would hide a formula is shown too, and the text after it cannot start a cell.
    expect(csvField('\u0000=1+1')).toBe('\\u0000=1+1');
    // Right-to-left letters are text, not controls: kept.
    expect(csvField('מודל')).toBe('מודל');
  });

  it('writes a usage summary: one row per group, totals last, an unknown cost empty beside its known part', () => {
    const summary: UsageSummary = {
      since: '2026-11-01T00:00:00.000Z',
      until: null,
      by: 'model',
      split: null,
      groups: [{ key: '=evil', label: '=evil', ...figures }],
      truncated: false,
      totals: { key: '', label: 'total', ...figures, costUsd: 0.5 },
      latencyRows: 2,
      latencySampled: false,
    };
    const lines = usageSummaryCsv(summary).split('\r\n');
    expect(lines[0]).toBe(
      'model,calls,errors,cancelled,skipped targets,cache hits,requests,cache hit rate,input tokens,output tokens,cost usd,known cost usd,calls without a price,latency p50 ms,latency p95 ms,first token p50 ms',
    );
    expect(lines[1]).toBe("'=evil,3,1,0,2,1,3,0.3333,1200,300,,0.012346,1,420,900,");
    expect(lines[2]).toBe('total,3,1,0,2,1,3,0.3333,1200,300,0.5,0.012346,1,420,900,');
    expect(lines[3]).toBe('');
  });

  it('has a column for the split when there is one', () => {
    const group = { key: '2026-11-02', label: '2026-11-02', splitKey: 'away', splitLabel: 'away', ...figures };
    const summary: UsageSummary = { since: 's', until: null, by: 'day', split: 'provider', groups: [group], truncated: false, totals: { key: '', label: 'total', ...figures }, latencyRows: 0, latencySampled: false };
    const lines = usageSummaryCsv(summary).split('\r\n');
    expect(lines[0]?.startsWith('day,provider,calls,')).toBe(true);
    expect(lines[1]?.startsWith('2026-11-02,away,3,')).toBe(true);
    expect(lines[2]?.startsWith('total,,3,')).toBe(true);
  });
});
