import { defaultSettings } from '../../src-shared/domain/settings.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultRendererDir } from '../../src-main/cli/commands/serveCommand.ts';
import { appVersion } from '../../src-main/core/appVersion.ts';
import { databaseFileName } from '../../src-main/core/createCore.ts';
import { connectClient, httpRequest } from '../support/bridgeClient.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { repoRoot, runBin, startBin, type ProcessResult, type RunningCli } from '../support/cliProcess.ts';
import { sha256File } from '../support/fileHash.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

let home: string;
let env: NodeJS.ProcessEnv;
const running: RunningCli[] = [];

beforeAll(() => {
  // `serve` needs the built renderer; build it once if this checkout has none.
  if (!existsSync(join(defaultRendererDir, 'index.html'))) {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
      cwd: repoRoot,
      stdio: 'inherit',
      timeout: 180_000,
    });
  }
}, 200_000);

beforeEach(() => {
  home = createTempDir('sc-int-home-');
  env = { SERVICE_CREATOR_HOME: home };
});

afterEach(async () => {
  for (const cli of running.splice(0)) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
  }
});

afterAll(() => {
  removeTempDirs();
});

function sc(...args: string[]): Promise<ProcessResult> {
  return runBin(args, env);
}

function serve(...args: string[]): RunningCli {
  const cli = startBin(['serve', ...args], env);
  running.push(cli);
  return cli;
}

/** A user error: exit 1, nothing on stdout, exactly one `Error: ...` line on stderr and no stack trace. */
function expectOneLineError(result: ProcessResult): string {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Error: /);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  return lines[0] as string;
}

interface JsonProject {
  id: string;
  name: string;
}

async function listNames(): Promise<string[]> {
  const result = await sc('projects', 'list', '--json');
  expect(result.code).toBe(0);
  return parseJsonLines(result.stdout).map((line) => (line.project as JsonProject).name);
}

function integrityCheck(path: string): string {
  const db = new Database(path);
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

describe('service-creator (real process)', () => {
  it('--version and --help exit 0', async () => {
    const version = await sc('--version');
    expect(version).toMatchObject({ code: 0, stdout: `${appVersion}\n`, stderr: '' });
    const help = await sc('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: service-creator');
    expect(existsSync(join(home, databaseFileName))).toBe(false);
  });

  it('create, list, rename and delete round trip', async () => {
    const created = await sc('projects', 'create', 'Alpha', '--json');
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('');
    const [line] = parseJsonLines(created.stdout);
    const alpha = line?.project as JsonProject;
    expect(line?.type).toBe('project');
    expect(alpha.name).toBe('Alpha');
    expect(typeof alpha.id).toBe('string');

    expect((await sc('projects', 'create', 'Beta')).code).toBe(0);
    expect((await listNames()).sort()).toEqual(['Alpha', 'Beta']);

    const renamed = await sc('projects', 'rename', 'alpha', 'Gamma', '--json');
    expect(renamed.code).toBe(0);
    expect(parseJsonLines(renamed.stdout)).toEqual([{ type: 'project', project: expect.objectContaining({ id: alpha.id, name: 'Gamma' }) }]);

    const deleted = await sc('projects', 'delete', 'Gamma', 'Beta', '--yes', '--json');
    expect(deleted.code).toBe(0);
    const lines = parseJsonLines(deleted.stdout);
    expect(lines.at(-1)).toMatchObject({ type: 'result', deleted: expect.arrayContaining([alpha.id]) });
    expect(await listNames()).toEqual([]);
  });

  it('exits 1 with one line on stderr for user errors', async () => {
    expect((await sc('projects', 'create', 'Dup')).code).toBe(0);
    expect(expectOneLineError(await sc('projects', 'create', 'DUP'))).toBe('Error: A project named "Dup" already exists');
    expect(expectOneLineError(await sc('projects', 'rename', 'Nope', 'Other'))).toContain('"Nope"');
    // Refused input in words (the field by its label, the choices as typed), never "Invalid input for settings.set: theme: …".
    expect(expectOneLineError(await sc('settings', 'set', 'theme', 'purple'))).toBe('Error: Theme is not one of the choices: system, light or dark.');
    expect(expectOneLineError(await sc('projects', 'create', 'x'.repeat(101)))).toBe('Error: Name can have at most 100 characters.');
    // stdin of a spawned process is a pipe, not a TTY: deleting needs --yes
    expect(expectOneLineError(await sc('projects', 'delete', 'Dup'))).toContain('--yes');
    expect(await listNames()).toEqual(['Dup']);

    const json = await sc('projects', 'create', 'dup', '--json');
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    expect(parseJsonLines(json.stdout)).toEqual([{ type: 'error', error: { code: 'CONFLICT', message: 'A project named "Dup" already exists' } }]);
  });

  it('exits 1 for usage errors without a stack trace', async () => {
    const unknown = await sc('bogus');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain("unknown command 'bogus'");
    expect(unknown.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    const port = await sc('serve', '--port', '70000');
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('"70000" is not a port');
  });

  it('exits 1 with one line naming the folder when the data folder cannot be written', async () => {
    writeFileSync(join(home, 'afile'), 'a file, not a folder');
    const dataDir = join(home, 'afile', 'sub');
    const result = await runBin(['projects', 'list'], { SERVICE_CREATOR_HOME: dataDir });
    expect(expectOneLineError(result)).toContain(`The data folder ${dataDir} cannot be written`);
  });

  it('a row edited by hand into a form the app cannot show is an internal error (exit 2) in one line: the details are in the log, on the terminal only with SERVICE_CREATOR_DEBUG', async () => {
    expect((await sc('projects', 'create', 'Edited')).code).toBe(0);
    const db = new Database(join(home, databaseFileName));
    db.prepare("UPDATE projects SET created_at = 'yesterday-ish'").run();
    db.close();
    const result = await sc('projects', 'list');
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    expect(lines).toEqual([
      'Error: Internal error in projects.list: what it read does not have the form the app expects (data changed outside the app, or a bug). The details are in the log: the logs folder in the data folder ("service-creator info" says where).',
    ]);
    // The log has what was wrong, with the channel.
    const log = readFileSync(join(home, 'logs', 'service-creator-cli.log'), 'utf8');
    expect(log).toContain('"msg":"internal error"');
    expect(log).toContain('"channel":"projects.list"');
    expect(log).toContain('createdAt');
    const debug = await runBin(['projects', 'list'], { ...env, SERVICE_CREATOR_DEBUG: '1' });
    expect(debug.stderr).toContain('[projects.list] ZodError');
  });

  it('exits 1 and leaves a corrupt database untouched', async () => {
    const dbPath = join(home, databaseFileName);
    writeFileSync(dbPath, 'definitely not sqlite\n'.repeat(50));
    const before = sha256File(dbPath);
    expect(expectOneLineError(await sc('projects', 'list'))).toContain(dbPath);
    const json = await sc('projects', 'list', '--json');
    expect(json.code).toBe(1);
    expect(parseJsonLines(json.stdout)[0]).toMatchObject({ type: 'error', error: { code: 'DB_CORRUPT' } });
    expect(sha256File(dbPath)).toBe(before);
  });

  it('serve on a corrupt database listens (the page needs no database), then says so and exits 1, the file untouched', async () => {
    const dbPath = join(home, databaseFileName);
    writeFileSync(dbPath, 'definitely not sqlite\n'.repeat(50));
    const before = sha256File(dbPath);
    // No page: the core opens anyway a moment after `listening`.
    const alone = await sc('serve', '--json');
    expect(alone.code).toBe(1);
    expect(parseJsonLines(alone.stdout)).toEqual([
      expect.objectContaining({ type: 'listening' }),
      { type: 'error', error: { code: 'DB_CORRUPT', message: expect.stringContaining(dbPath) } },
    ]);
    // A page first: it gets its HTML, then the core opens and the error ends the command.
    const cli = serve('--json');
    const listening = await cli.waitForJson<{ port: number }>('listening');
    expect((await httpRequest(listening.port, '/')).status).toBe(200);
    expect(await cli.exited).toEqual({ code: 1, signal: null });
    expect(parseJsonLines(cli.stdout()).map((line) => line.type)).toEqual(['listening', 'error']);
    expect(sha256File(dbPath)).toBe(before);
  });

  it('serve --port 0 --json listens, answers HTTP and the socket, and exits 0 promptly on SIGTERM', async () => {
    const cli = serve('--port', '0', '--json');
    const listening = await cli.waitForJson<{ url: string; port: number }>('listening');
    expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/);
    expect(listening.port).toBeGreaterThan(0);

    const page = await httpRequest(listening.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(readFileSync(join(defaultRendererDir, 'index.html'), 'utf8'));
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");

    const token = listening.url.split('#token=')[1] as string;
    const client = await connectClient(listening.port, token);
    expect(await client.invoke('projects.create', { name: 'Via bridge' })).toMatchObject({ ok: true });
    // a CLI write while serve holds the database is visible through the bridge
    expect((await sc('projects', 'create', 'Via CLI')).code).toBe(0);
    const listed = await client.invoke('projects.list');
    expect(listed.ok && (listed.value as JsonProject[]).map((project) => project.name).sort()).toEqual(['Via CLI', 'Via bridge']);

    const started = Date.now();
    cli.child.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(3000);
    await client.closed;
    expect(parseJsonLines(cli.stdout()).map((line) => line.type)).toEqual(['listening', 'stopped']);
    expect(cli.stderr()).toBe('');

    await expect(httpRequest(listening.port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const dbPath = join(home, databaseFileName);
    expect(integrityCheck(dbPath)).toBe('ok');
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect((await listNames()).sort()).toEqual(['Via CLI', 'Via bridge']);
  });

  it('serve exits 0 on SIGINT (Ctrl+C) too', async () => {
    const cli = serve('--json');
    await cli.waitForJson('listening');
    await sleep(200);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(parseJsonLines(cli.stdout()).map((line) => line.type)).toEqual(['listening', 'stopped']);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('serve stops cleanly on %s sent the moment "listening" is printed', async (signal) => {
    // A supervisor or script that reads `listening` and stops the server at once must get a clean
    // stop: once `listening` is out, the stop handlers must already be in place. The window is
    // small, so try a few times; each try must exit 0 after printing `stopped`.
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const cli = serve('--json');
      cli.signalOnJson('listening', signal);
      const exit = await cli.exited;
      const types = parseJsonLines(cli.stdout()).map((line) => line.type);
      outcomes.push(`exit ${exit.code ?? exit.signal}, printed ${types.join('+')}`);
    }
    expect(outcomes).toEqual(Array.from({ length: 5 }, () => 'exit 0, printed listening+stopped'));
  });

  it('serve on a port already in use exits 1 with a CONFLICT message naming the port', async () => {
    const blocker = await listen();
    try {
      const port = (blocker.address() as AddressInfo).port;
      const text = expectOneLineError(await sc('serve', '--port', String(port)));
      expect(text).toContain(`Port ${port}`);
      const json = await sc('serve', '--port', String(port), '--json');
      expect(json.code).toBe(1);
      expect(parseJsonLines(json.stdout)).toEqual([{ type: 'error', error: { code: 'CONFLICT', message: expect.stringContaining(`Port ${port}`) } }]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a project created through the bridge survives kill -9 of serve, and the database is intact', async () => {
    expect((await sc('projects', 'create', 'Before')).code).toBe(0);
    const cli = serve('--json');
    const listening = await cli.waitForJson<{ url: string; port: number }>('listening');
    const client = await connectClient(listening.port, listening.url.split('#token=')[1] as string);
    expect(await client.invoke('projects.create', { name: 'Survivor' })).toMatchObject({ ok: true, value: { name: 'Survivor' } });
    expect(await client.invoke('settings.set', { theme: 'dark' })).toMatchObject({ ok: true });

    cli.child.kill('SIGKILL');
    expect(await cli.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await client.closed;

    expect((await listNames()).sort()).toEqual(['Before', 'Survivor']);
    const settings = await sc('settings', 'get', '--json');
    expect(parseJsonLines(settings.stdout)).toEqual([{ type: 'settings', settings: { ...defaultSettings, theme: 'dark', privacyMode: 'local-only' } }]);
    expect(integrityCheck(join(home, databaseFileName))).toBe('ok');
    // and the store keeps working
    expect((await sc('projects', 'create', 'After')).code).toBe(0);
    expect((await listNames()).sort()).toEqual(['After', 'Before', 'Survivor']);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
