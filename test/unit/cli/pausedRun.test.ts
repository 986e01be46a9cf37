import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resumeCommand } from '../../../src-main/cli/pipeline/pausedRun.ts';
import { shellQuote } from '../../../src-main/cli/shellQuote.ts';

describe('the resume command of a paused generate', () => {
  it('repeats the export and concurrency flags, never --new or --spec', () => {
    expect(resumeCommand('Edge firewall', { out: 'out/edge', zip: true, force: true, concurrency: 2, json: true })).toBe(
      'service-creator generate --project "Edge firewall" --out "out/edge" --zip --force --concurrency 2 --json',
    );
    expect(resumeCommand('Edge', { git: true, out: '/tmp/x' })).toBe('service-creator generate --project "Edge" --out "/tmp/x" --git');
  });

  it('quotes every value so that a shell reads it back unchanged', () => {
    const values = ['Edge firewall', `it's $HOME`, 'a"b\\c', 'back`tick`', 'bang!', "'", 'plain'];
    for (const value of values) {
      // printf '%s' through a real shell: what it prints is what the shell made of the quoting.
      const echoed = execFileSync('sh', ['-c', `printf '%s' ${shellQuote(value)}`], { encoding: 'utf8' });
      expect(echoed, value).toBe(value);
    }
    expect(shellQuote('Edge firewall')).toBe('"Edge firewall"');
  });
});
