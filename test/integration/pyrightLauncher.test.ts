import { afterEach, describe, expect, it } from 'vitest';
import { childProcessLauncher, setNodeScriptLauncher, type NodeScriptLauncher } from '../../src-main/pipeline/typecheck/NodeScriptLauncher.ts';
import { ProjectCheckFailed } from '../../src-main/pipeline/typecheck/ProjectCheckFailed.ts';
import { PyrightServer } from '../../src-main/pipeline/typecheck/PyrightServer.ts';

/**
 * The pyright language server started through the app's launcher and spoken to over a private
 * pipe, never its standard input or output: the desktop app's utility process has no standard
 * input, so the path the CLI and `serve` run here is the same one the app runs. Real pyright.
 */
describe('the pyright language server behind a launcher', () => {
  const servers: PyrightServer[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.dispose();
    setNodeScriptLauncher(childProcessLauncher);
  });

  const file = { path: 'app/main.py', content: 'def total(values: list[int]) -> int:\n    return sum(values)\n\n\nprint(total([1, 2]))\nprint(undefined_name)\n' };

  it('starts pyright with --pipe and no standard input, and a check answers through the pipe', async () => {
    const launched: { script: string; args: readonly string[]; env: Record<string, string> }[] = [];
    const recording: NodeScriptLauncher = (script, args, options) => {
      launched.push({ script, args, env: options.env });
      return childProcessLauncher(script, args, options);
    };
    setNodeScriptLauncher(recording);
    const server = new PyrightServer();
    servers.push(server);
    const result = await server.check('launcher-test', [file], [], { timeoutMs: 60_000 });
    expect(launched).toHaveLength(1);
    expect(launched[0]?.script).toMatch(/langserver\.index\.js$/);
    expect(launched[0]?.args).toEqual([expect.stringMatching(/^--pipe=.+lsp\.sock$/)]);
    // Hermetic: nothing of the app's environment is passed on.
    expect(launched[0]?.env.PATH).toBe('');
    const messages = result.diagnostics.map((diagnostic) => diagnostic.message).join('\n');
    expect(messages).toMatch(/"undefined_name" is not defined/);
    expect(server.pid).toBeGreaterThan(0);
  }, 90_000);

  it('a script that exits before it connects fails the check as crashed at once, and the next check starts a working one', async () => {
    let launches = 0;
    const failing: NodeScriptLauncher = (script, args, options) => {
      launches += 1;
      // The same launcher, but the script dies at start (a missing runtime, a crash on load).
      return childProcessLauncher('-e', ['process.exit(3)'], { ...options, execArgv: [] });
    };
    setNodeScriptLauncher(failing);
    const server = new PyrightServer();
    servers.push(server);
    const started = performance.now();
    const failure = await server.check('launcher-crash', [file], [], { timeoutMs: 60_000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProjectCheckFailed);
    expect((failure as ProjectCheckFailed).reason).toBe('crashed');
    expect((failure as ProjectCheckFailed).message).toMatch(/stopped/);
    // Once more within the check (a server that dies is started again once), then no more.
    expect(launches).toBe(2);
    expect(performance.now() - started).toBeLessThan(20_000);

    setNodeScriptLauncher(childProcessLauncher);
    const result = await server.check('launcher-crash', [file], [], { timeoutMs: 60_000 });
    expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([expect.stringMatching(/"undefined_name" is not defined/)]);
  }, 90_000);

  it('inside Electron without the utility-process launcher it says the check is unavailable instead of starting the app binary', () => {
    const versions = process.versions as Record<string, string | undefined>;
    versions.electron = '45.0.0';
    try {
      expect(() => childProcessLauncher('script.js', [], { cwd: '/', env: {}, execArgv: [] })).toThrow(ProjectCheckFailed);
    } finally {
      delete versions.electron;
    }
  });
});
