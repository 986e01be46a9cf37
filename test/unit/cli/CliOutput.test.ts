import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src-main/cli/CliIo.ts';
import { CliOutput } from '../../../src-main/cli/CliOutput.ts';

function io(env: NodeJS.ProcessEnv, isTTY: boolean): CliIo {
  const stream = () => Object.assign(new PassThrough(), { isTTY });
  return { stdout: stream(), stderr: stream(), stdin: new PassThrough(), env, waitForStop: () => new Promise(() => {}) };
}

describe('CliOutput.interactive: whether progress is drawn in place', () => {
  it.each([
    ['a terminal', { TERM: 'xterm-256color' }, true, false, true],
    ['no TERM at all', {}, true, false, true],
    ['TERM=dumb, which prints escape sequences as text', { TERM: 'dumb' }, true, false, false],
    ['a pipe', { TERM: 'xterm' }, false, false, false],
    ['--json', { TERM: 'xterm' }, true, true, false],
  ])('%s', (_label, env, isTTY, json, interactive) => {
    expect(new CliOutput(io(env, isTTY), json).interactive).toBe(interactive);
  });
});
