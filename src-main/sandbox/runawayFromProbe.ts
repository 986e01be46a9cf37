import { z } from 'zod';
import type { RunawayTest } from '../../src-shared/sandbox/sandboxTypes.ts';

const maxStacksChars = 8_000;
const maxNameChars = 1_000;

/** running.json as the probes write it (progressProbes.ts); written by code we do not trust. */
const runningSchema = z.object({
  runner: z.string().optional(),
  tests: z
    .array(
      z.object({
        name: z.string(),
        file: z.string().optional(),
        line: z.number().int().optional(),
        nesting: z.number().int().optional(),
      }),
    )
    .max(10_000),
});

/**
 * The runaway test from the probe's files (running.json, stacks.txt): the test that was still
 * running (the most deeply nested, latest started, when node reports several), its file as a
 * project path, and the last stack dump with project paths made relative. Undefined when the
 * probe saw no test running (the run ended between tests, or the command was not pytest/node).
 */
export function runawayFromProbe(files: { running?: string; stacks?: string }, projectRoot: string): RunawayTest | undefined {
  if (files.running === undefined) return undefined;
  let parsed: z.infer<typeof runningSchema>;
  try {
    parsed = runningSchema.parse(JSON.parse(files.running));
  } catch {
    return undefined;
  }
  const deepest = parsed.tests.reduce<(typeof parsed.tests)[number] | undefined>((best, test) => (best === undefined || (test.nesting ?? 0) >= (best.nesting ?? 0) ? test : best), undefined);
  if (!deepest) return undefined;
  const file = deepest.file === undefined ? undefined : relative(deepest.file.replace(/^file:\/\//, ''), projectRoot);
  const name = relative(deepest.name, projectRoot).slice(0, maxNameChars);
  const stacks = files.stacks === undefined ? undefined : lastDump(files.stacks, projectRoot);
  return { name, ...(file ? { file } : {}), ...(deepest.line !== undefined ? { line: deepest.line } : {}), ...(stacks ? { stacks } : {}) };
}

/** faulthandler starts each dump with `Timeout (h:mm:ss)!`; only the last one matters. */
function lastDump(text: string, projectRoot: string): string | undefined {
  const at = text.lastIndexOf('Timeout (');
  const dump = (at >= 0 ? text.slice(at) : text).replaceAll(`${projectRoot}/`, '').trim();
  if (dump === '') return undefined;
  return dump.length > maxStacksChars ? `${dump.slice(0, maxStacksChars)}\n… [${dump.length - maxStacksChars} more characters cut]` : dump;
}

function relative(path: string, projectRoot: string): string {
  return path.startsWith(`${projectRoot}/`) ? path.slice(projectRoot.length + 1) : path;
}

/** "tests/test_loop.py::test_loop (tests/test_loop.py line 3, in test_loop)" as people read it. */
export function describeRunaway(runaway: RunawayTest): string {
  // The innermost project frame (project paths were made relative; library paths stay absolute),
  // of a thread busy in project code when there is one (not the test waiting for a server thread).
  const threads = (runaway.stacks ?? '').split(/\n(?=Thread 0x|Current thread 0x)/);
  const busy = threads.find((thread) => /^\s*File "[^"/]/.test(/^\s*File .*$/m.exec(thread)?.[0] ?? ''));
  const frame = /File "([^"/][^"]*)", line (\d+) in (\S+)/.exec(busy ?? runaway.stacks ?? '');
  const where = frame ? `${frame[1]} line ${frame[2]}, in ${frame[3]}` : runaway.file && runaway.file !== runaway.name ? `${runaway.file}${runaway.line ? ` line ${runaway.line}` : ''}` : undefined;
  return `${runaway.name}${where ? ` (at ${where})` : ''}`;
}
