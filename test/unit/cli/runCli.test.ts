import { defaultSettings } from '../../../src-shared/domain/settings.ts';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRendererDir } from '../../../src-main/cli/commands/serveCommand.ts';
import { runCli } from '../../../src-main/cli/runCli.ts';
import { appVersion } from '../../../src-main/core/appVersion.ts';
import { databaseFileName } from '../../../src-main/core/createCore.ts';
import { connectClient, httpRequest } from '../../support/bridgeClient.ts';
import { createBufferIo, type BufferIo, type BufferIoOptions } from '../../support/bufferIo.ts';
import { sha256File } from '../../support/fileHash.ts';
import { createTempDir, removeTempDirs } from '../../support/tempDir.ts';

interface Run extends BufferIo {
  code: number;
}

let home: string;
let dbPath: string;

beforeEach(() => {
  home = createTempDir('sc-cli-home-');
  dbPath = join(home, databaseFileName);
});

afterEach(() => {
  removeTempDirs();
});

async function cli(argv: string[], options: BufferIoOptions = {}): Promise<Run> {
  const buffers = createBufferIo({ env: { SERVICE_CREATOR_HOME: home }, ...options });
  const code = await runCli(argv, buffers.io);
  return { ...buffers, code };
}

interface JsonProject {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

function expectProjectShape(value: unknown): JsonProject {
  const project = value as JsonProject;
  expect(Object.keys(project).sort()).toEqual(['createdAt', 'id', 'localOnly', 'name', 'updatedAt']);
  expect(typeof project.id).toBe('string');
  expect(project.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(typeof project.name).toBe('string');
  expect(Number.isNaN(Date.parse(project.createdAt))).toBe(false);
  expect(Number.isNaN(Date.parse(project.updatedAt))).toBe(false);
  return project;
}

/** In --json mode every stdout line is one JSON object with a string `type`. */
function jsonOf(run: Run): Record<string, unknown>[] {
  const lines = run.jsonLines();
  expect(run.stdout().endsWith('\n') || run.stdout() === '').toBe(true);
  for (const line of lines) expect(typeof line.type).toBe('string');
  return lines;
}

/** A user error in --json mode: exit 1, exactly one error line with the code, one-line message. */
function expectJsonError(run: Run, code: string): string {
  expect(run.code).toBe(1);
  const lines = jsonOf(run);
  expect(lines).toHaveLength(1);
  const error = (lines[0] as { type: string; error: { code: string; message: string } }).error;
  expect(lines[0]).toEqual({ type: 'error', error: { code, message: expect.any(String) } });
  expect(error.message).not.toContain('\n');
  expect(error.message).not.toMatch(/\n\s+at /);
  return error.message;
}

/** A user error for people: exit 1, nothing on stdout, exactly one `Error: ...` line on stderr. */
function expectTextError(run: Run): string {
  expect(run.code).toBe(1);
  expect(run.stdout()).toBe('');
  const lines = run.stderr().split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Error: /);
  expect(run.stderr()).not.toMatch(/\bat .+:\d+:\d+/);
  return lines[0] as string;
}

async function createProject(name: string): Promise<JsonProject> {
  const run = await cli(['projects', 'create', name, '--json']);
  expect(run.code).toBe(0);
  return expectProjectShape((jsonOf(run)[0] as { project: unknown }).project);
}

async function listProjects(): Promise<JsonProject[]> {
  const run = await cli(['projects', 'list', '--json']);
  expect(run.code).toBe(0);
  return jsonOf(run).map((line) => {
    expect(line.type).toBe('project');
    return expectProjectShape(line.project);
  });
}

describe('runCli: help, version, usage errors', () => {
  it('--help exits 0 with usage on stdout and does not touch the data folder', async () => {
    const run = await cli(['--help'], { env: { SERVICE_CREATOR_HOME: join(home, 'never-created') } });
    expect(run.code).toBe(0);
    expect(run.stdout()).toContain('Usage: service-creator');
    for (const command of ['projects', 'serve', 'settings', 'info']) expect(run.stdout()).toContain(command);
    expect(run.stderr()).toBe('');
    expect(existsSync(join(home, 'never-created'))).toBe(false);
  });

  it('subcommand --help exits 0', async () => {
    const run = await cli(['projects', 'delete', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout()).toContain('--yes');
    expect(existsSync(dbPath)).toBe(false);
  });

  it('--version and -v exit 0 and print the version', async () => {
    for (const flag of ['--version', '-v']) {
      const run = await cli([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout()).toBe(`${appVersion}\n`);
    }
  });

  it('an unknown command exits 1 naming it', async () => {
    const run = await cli(['bogus']);
    expect(run.code).toBe(1);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toContain("unknown command 'bogus'");
    expect(run.stderr()).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('an unknown command with --json exits 1 with one INVALID_INPUT line', async () => {
    const message = expectJsonError(await cli(['bogus', '--json']), 'INVALID_INPUT');
    expect(message).toContain('bogus');
  });

  it.each([
    ['an unknown command', ['bogus', '--json']],
    ['a missing argument', ['projects', 'create', '--json']],
    ['an unknown option', ['projects', 'list', '--frobnicate', '--json']],
    ['a bad port', ['serve', '--port', 'abc', '--json']],
  ])('a usage error (%s) with --json writes only the JSON error line, nothing on stderr', async (_label, argv) => {
    const run = await cli(argv);
    expectJsonError(run, 'INVALID_INPUT');
    expect(run.stderr()).toBe('');
  });

  it.each([
    [['budget', '--json'], 'service-creator budget needs one of its commands: show, set, zone, clear'],
    [['providers', 'routing', 'set', '--json'], "missing required argument 'task'"],
    [['cache', '--json'], 'service-creator cache needs one of its commands: stats, clear, on, off'],
    [['--json'], 'service-creator needs one of its commands: projects'],
  ])('%j: a missing command is one JSON error line in words, no help on stderr', async (argv, message) => {
    const run = await cli(argv);
    expect(expectJsonError(run, 'INVALID_INPUT')).toContain(message);
    expect(run.stderr()).toBe('');
  });

  it('a missing command without --json shows the help on stderr and exits 1', async () => {
    const run = await cli(['audit']);
    expect(run.code).toBe(1);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toContain('Usage: service-creator audit');
  });

  it.each([
    [['usage', '--since=2026-01-01', '--since', '2026-02-01', '--json'], '--since is given more than once ("2026-01-01", then "2026-02-01"): give it once'],
    [['budget', 'set', '5', '--period', 'day', '--period=month', '--json'], '--period is given more than once ("day", then "month"): give it once'],
    [['chat', '--prompt', 'a', '--prompt', 'b', '--json'], '--prompt is given more than once ("a", then "b"): give it once'],
    [['audit', 'show', '--limit', '5', '--limit', '6', '--json'], '--limit is given more than once ("5", then "6"): give it once'],
  ])('%j: an option that takes one value, given twice, is a user error naming both values; nothing is done', async (argv, message) => {
    const run = await cli(argv);
    expect(expectJsonError(run, 'INVALID_INPUT')).toBe(message);
    expect(existsSync(dbPath)).toBe(false);
  });

  it('an option given twice shows each value bounded', async () => {
    const run = await cli(['chat', '--prompt', 'x'.repeat(100_000), '--prompt', 'y', '--json']);
    const message = expectJsonError(run, 'INVALID_INPUT');
    expect(message.length).toBeLessThan(300);
  });

  it('options that gather a list may be given again (--target a --target b)', async () => {
    const run = await cli(['providers', 'routing', 'set', 'code', '--target', 'a/m', '--target', 'b/n', '--json']);
    expect(run.code, run.stdout()).toBe(0);
  });

  const long = 'x'.repeat(50_000);
  it.each([
    ['a date commander refuses', ['usage', '--since', long]],
    ['an amount', ['budget', 'set', long]],
    ['an unknown command', [`usag${long}`]],
    ['an id the core does not know', ['providers', 'edit', long, '--rpm', '3']],
  ])('a very long value in an error (%s) is cut short, as text and as JSON', async (_label, argv) => {
    const text = await cli(argv);
    expect(text.code).toBe(1);
    expect(text.stderr().length).toBeLessThan(2_000);
    expect(text.stderr()).toMatch(/x{150}…/);
    const json = await cli([...argv, '--json']);
    expect(json.code).toBe(1);
    const [line] = json.jsonLines() as { error: { message: string } }[];
    expect(line?.error.message.length).toBeLessThan(1_000);
    expect(line?.error.message).toMatch(/x{150}…/);
  });

  it('an unknown option exits 1', async () => {
    const run = await cli(['projects', 'list', '--frobnicate']);
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain('--frobnicate');
  });

  it('projects create without a name exits 1 and creates nothing', async () => {
    const run = await cli(['projects', 'create']);
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain("missing required argument 'name'");
    expect(existsSync(dbPath)).toBe(false);
    expectJsonError(await cli(['projects', 'create', '--json']), 'INVALID_INPUT');
  });

  it('projects create with an invalid name exits 1 with INVALID_INPUT naming the field', async () => {
    for (const name of ['', '   ', 'x'.repeat(101), 'tab\there']) {
      const message = expectJsonError(await cli(['projects', 'create', name, '--json']), 'INVALID_INPUT');
      // The field in words ("Name cannot be empty."), never the channel or zod's path.
      expect(message).toMatch(/\bname\b/i);
      expect(message).not.toMatch(/projects\.create|name:/);
    }
    expect(await listProjects()).toEqual([]);
  });
});

describe('runCli: projects', () => {
  it('create, list, rename and delete round trip with --json', async () => {
    const alpha = await createProject('Alpha');
    expect(alpha.name).toBe('Alpha');
    expect(alpha.createdAt).toBe(alpha.updatedAt);
    const beta = await createProject('  Beta  ');
    expect(beta.name).toBe('Beta');

    const listed = await listProjects();
    expect(listed.map((project) => project.id).sort()).toEqual([alpha.id, beta.id].sort());

    // rename by (case-insensitive) name
    const renamed = await cli(['projects', 'rename', 'ALPHA', 'Gamma', '--json']);
    expect(renamed.code).toBe(0);
    const [renamedLine] = jsonOf(renamed);
    expect(renamedLine?.type).toBe('project');
    const gamma = expectProjectShape(renamedLine?.project);
    expect(gamma).toMatchObject({ id: alpha.id, name: 'Gamma', createdAt: alpha.createdAt });

    // rename by id, changing only the case of the name
    const recased = await cli(['projects', 'rename', alpha.id, 'GAMMA', '--json']);
    expect(recased.code).toBe(0);
    expect(jsonOf(recased)[0]).toMatchObject({ type: 'project', project: { id: alpha.id, name: 'GAMMA' } });

    const deleted = await cli(['projects', 'delete', 'gamma', beta.id, '--yes', '--json']);
    expect(deleted.code).toBe(0);
    const lines = jsonOf(deleted);
    const result = lines.at(-1) as { type: string; deleted: unknown };
    expect(result.type).toBe('result');
    expect(Array.isArray(result.deleted)).toBe(true);
    expect((result.deleted as string[]).sort()).toEqual([alpha.id, beta.id].sort());
    const deletedEvents = lines.filter((line) => line.type === 'deleted');
    expect(deletedEvents).toHaveLength(2);
    for (const event of deletedEvents) {
      expect(typeof event.id).toBe('string');
      expect(typeof event.name).toBe('string');
    }
    for (const progress of lines.filter((line) => line.type === 'progress')) {
      expect(progress).toMatchObject({ task: 'Deleting', total: 2, current: expect.any(Number), label: expect.any(String) });
    }

    expect(await listProjects()).toEqual([]);
    // The CLI closed the database: the WAL was checkpointed and removed.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it('prints text for people without --json', async () => {
    const empty = await cli(['projects', 'list']);
    expect(empty.code).toBe(0);
    expect(empty.stdout()).toContain('No projects yet');
    const created = await cli(['projects', 'create', 'Readable']);
    expect(created.code).toBe(0);
    expect(created.stdout()).toMatch(/^Created project "Readable" \([0-9a-f-]{36}\)\n$/);
    const listed = await cli(['projects', 'list']);
    expect(listed.stdout()).toMatch(/^NAME\s+ID\s+UPDATED\nReadable\s+[0-9a-f-]{36}\s+\S+\n$/);
    expect(listed.stderr()).toBe('');
  });

  it('refuses a duplicate name regardless of case with CONFLICT', async () => {
    await createProject('Firewall');
    const message = expectJsonError(await cli(['projects', 'create', 'FIREWALL', '--json']), 'CONFLICT');
    expect(message).toBe('A project named "Firewall" already exists');
    const text = expectTextError(await cli(['projects', 'create', 'firewall']));
    expect(text).toBe('Error: A project named "Firewall" already exists');
    expect((await listProjects()).map((project) => project.name)).toEqual(['Firewall']);
  });

  it('refuses renaming onto another project name with CONFLICT', async () => {
    await createProject('One');
    await createProject('Two');
    expectJsonError(await cli(['projects', 'rename', 'One', 'two', '--json']), 'CONFLICT');
    expect((await listProjects()).map((project) => project.name).sort()).toEqual(['One', 'Two']);
  });

  it('answers NOT_FOUND for an unknown project in rename and delete', async () => {
    await createProject('Keep');
    expect(expectJsonError(await cli(['projects', 'rename', 'Ghost', 'Other', '--json']), 'NOT_FOUND')).toContain('Ghost');
    expect(expectJsonError(await cli(['projects', 'delete', 'Keep', 'Ghost', '--yes', '--json']), 'NOT_FOUND')).toContain('Ghost');
    // all-or-nothing: the known project named alongside the unknown one was not deleted
    expect((await listProjects()).map((project) => project.name)).toEqual(['Keep']);
  });

  it('delete without --yes on a non-TTY stdin exits 1 mentioning --yes and deletes nothing', async () => {
    await createProject('Precious');
    const run = await cli(['projects', 'delete', 'Precious'], { stdinIsTTY: false, stdinText: 'y\n' });
    const line = expectTextError(run);
    expect(line).toContain('--yes');
    expect((await listProjects()).map((project) => project.name)).toEqual(['Precious']);

    const json = await cli(['projects', 'delete', 'Precious', '--json'], { stdinIsTTY: true, stdinText: 'y\n' });
    expect(expectJsonError(json, 'INVALID_INPUT')).toContain('--yes');
    expect((await listProjects()).map((project) => project.name)).toEqual(['Precious']);
  });

  it('delete on a TTY asks, and deletes only on yes', async () => {
    await createProject('Maybe');
    const declined = await cli(['projects', 'delete', 'Maybe'], { stdinIsTTY: true, stdinText: 'n\n' });
    expect(declined.code).toBe(1);
    expect(declined.stderr()).toContain('Delete "Maybe"?');
    expect(declined.stderr()).toContain('Error: Nothing deleted');
    expect((await listProjects()).map((project) => project.name)).toEqual(['Maybe']);

    const accepted = await cli(['projects', 'delete', 'Maybe'], { stdinIsTTY: true, stdinText: 'yes\n' });
    expect(accepted.code).toBe(0);
    expect(accepted.stdout()).toBe('Deleted project "Maybe"\n');
    expect(await listProjects()).toEqual([]);
  });

  it('delete on a TTY whose stdin closes without an answer exits 1 instead of hanging', async () => {
    await createProject('Kept');
    const run = await Promise.race([
      cli(['projects', 'delete', 'Kept'], { stdinIsTTY: true, stdinText: '' }),
      sleep(3000).then(() => 'still waiting for an answer after stdin closed' as const),
    ]);
    if (typeof run === 'string') throw new Error(run);
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain('Error: Nothing deleted');
    expect((await listProjects()).map((project) => project.name)).toEqual(['Kept']);
  });

  it('delete answered with Ctrl+D in a terminal is a user error (exit 1), not an internal one (exit 2)', async () => {
    await createProject('Kept');
    const run = await cli(['projects', 'delete', 'Kept'], { stdinIsTTY: true, stderrIsTTY: true, stdinText: '\u0004' });
    expect(run.stderr()).not.toContain('Internal error');
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain('Error: Nothing deleted');
    expect((await listProjects()).map((project) => project.name)).toEqual(['Kept']);
  });
});

describe('runCli: settings and info', () => {
  it('settings set theme purple exits 1 with INVALID_INPUT naming the key', async () => {
    const message = expectJsonError(await cli(['settings', 'set', 'theme', 'purple', '--json']), 'INVALID_INPUT');
    expect(message).toBe('Theme is not one of the choices: system, light or dark.');
    const text = expectTextError(await cli(['settings', 'set', 'theme', 'purple']));
    expect(text).toContain('Theme is not one of the choices: system, light or dark.');
  });

  it.each([
    ['an unknown key', 'colour', 'red'],
    ['__proto__', '__proto__', 'dark'],
    ['constructor', 'constructor', 'dark'],
  ])('settings set with %s exits 1 with INVALID_INPUT', async (_label, key, value) => {
    expectJsonError(await cli(['settings', 'set', key, value, '--json']), 'INVALID_INPUT');
    const get = await cli(['settings', 'get', '--json']);
    expect(jsonOf(get)).toEqual([{ type: 'settings', settings: { ...defaultSettings, theme: 'system', privacyMode: 'local-only' } }]);
  });

  it('settings set theme dark exits 0 and settings get shows it', async () => {
    const set = await cli(['settings', 'set', 'theme', 'dark', '--json']);
    expect(set.code).toBe(0);
    expect(jsonOf(set)).toEqual([{ type: 'settings', settings: { ...defaultSettings, theme: 'dark', privacyMode: 'local-only' } }]);
    const get = await cli(['settings', 'get', '--json']);
    expect(get.code).toBe(0);
    expect(jsonOf(get)).toEqual([{ type: 'settings', settings: { ...defaultSettings, theme: 'dark', privacyMode: 'local-only' } }]);
    const text = await cli(['settings', 'get']);
    expect(text.stdout()).toBe('theme: dark\nprivacyMode: local-only\nprivacyGuard: off\nresponseCache: off\ntelemetry: off\n');
  });

  it('info --json reports the cli host, the data folder and no network use', async () => {
    const run = await cli(['info', '--json']);
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toEqual([
      {
        type: 'info',
        info: expect.objectContaining({ host: 'cli', version: appVersion, dataDir: home, databasePath: dbPath, networkUse: [] }),
      },
    ]);
  });
});

describe('runCli: serve arguments', () => {
  it.each(['70000', 'abc', '-5', '1.5', '65536'])('serve --port %s exits 1 without opening the database', async (port) => {
    const run = await cli(['serve', '--port', port]);
    expect(run.code).toBe(1);
    expect(run.stderr()).toContain(`"${port}" is not a port`);
    expect(existsSync(dbPath)).toBe(false);
    const json = await cli(['serve', '--port', port, '--json']);
    expect(expectJsonError(json, 'INVALID_INPUT')).toContain('is not a port');
  });

  it('serve --port "" (an unset shell variable) exits 1 instead of picking a random port', async () => {
    let stopped = false;
    const run = await cli(['serve', '--port', '', '--json'], {
      waitForStop: () => {
        stopped = true;
        return Promise.resolve();
      },
    });
    expect(stopped).toBe(false);
    expectJsonError(run, 'INVALID_INPUT');
  });
});

describe('runCli: broken data folders and databases', () => {
  it('an unwritable data folder exits 1 with DATA_DIR_UNWRITABLE naming the folder', async () => {
    writeFileSync(join(home, 'afile'), 'not a folder');
    const dataDir = join(home, 'afile', 'sub');
    const env = { SERVICE_CREATOR_HOME: dataDir };
    const message = expectJsonError(await cli(['projects', 'list', '--json'], { env }), 'DATA_DIR_UNWRITABLE');
    expect(message).toContain(dataDir);
    expect(message).toContain('SERVICE_CREATOR_HOME');
    const text = expectTextError(await cli(['projects', 'create', 'X'], { env }));
    expect(text).toContain(`The data folder ${dataDir} cannot be written`);
    // --help still works with a broken data folder
    expect((await cli(['--help'], { env })).code).toBe(0);
  });

  it('a database from the future exits 1 with DB_FROM_FUTURE and leaves the file untouched', async () => {
    await createProject('From the past');
    const db = new Database(dbPath);
    db.pragma('user_version = 999');
    db.close();
    const before = sha256File(dbPath);

    const message = expectJsonError(await cli(['projects', 'list', '--json']), 'DB_FROM_FUTURE');
    expect(message).toContain(dbPath);
    expect(message).toContain('999');
    expectTextError(await cli(['projects', 'create', 'Another']));
    expectJsonError(await cli(['settings', 'set', 'theme', 'dark', '--json']), 'DB_FROM_FUTURE');
    expect(sha256File(dbPath)).toBe(before);

    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    expect(check.prepare('SELECT name FROM projects').all()).toEqual([{ name: 'From the past' }]);
    check.close();
  });

  it.each([
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 37 + 11) % 256))],
    ['a text file', Buffer.from('hello, this is not a database\n'.repeat(100))],
    ['a tiny file', Buffer.from('SQL')],
    ['an SQLite header followed by garbage', Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4080, 0xab)])],
  ])('%s as the database exits 1 with DB_CORRUPT and leaves the file untouched', async (_label, contents) => {
    writeFileSync(dbPath, contents);
    const before = sha256File(dbPath);
    const message = expectJsonError(await cli(['projects', 'list', '--json']), 'DB_CORRUPT');
    expect(message).toContain(dbPath);
    expectTextError(await cli(['projects', 'create', 'X']));
    expect(sha256File(dbPath)).toBe(before);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it("another application's SQLite file (foreign application_id) exits 1 with DB_CORRUPT, untouched", async () => {
    const db = new Database(dbPath);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES (\'keep me\');');
    db.pragma('application_id = 4660');
    db.close();
    const before = sha256File(dbPath);
    expect(expectJsonError(await cli(['projects', 'list', '--json']), 'DB_CORRUPT')).toContain('another application');
    expect(sha256File(dbPath)).toBe(before);
  });

  it("another application's SQLite file without an application_id exits 1 with DB_CORRUPT, untouched", async () => {
    // Most SQLite files in the wild never set application_id or user_version.
    const db = new Database(dbPath);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES (\'keep me\');');
    db.close();
    const before = sha256File(dbPath);
    expectJsonError(await cli(['projects', 'list', '--json']), 'DB_CORRUPT');
    expect(sha256File(dbPath)).toBe(before);
    const check = new Database(dbPath, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'notes' }]);
    check.close();
  });

  it('a folder where the database file should be exits 1 with DB_CORRUPT (a user error, not an internal one)', async () => {
    mkdirSync(dbPath);
    const run = await cli(['projects', 'list', '--json']);
    expectJsonError(run, 'DB_CORRUPT');
  });

  it('an empty file as the database is initialised like a new one', async () => {
    writeFileSync(dbPath, '');
    expect(await listProjects()).toEqual([]);
    await createProject('Fresh');
    expect((await listProjects()).map((project) => project.name)).toEqual(['Fresh']);
  });
});

describe('runCli: serve in-process', () => {
  const built = existsSync(join(defaultRendererDir, 'index.html'));

  it.runIf(built)('prints a listening line with a #token= URL, serves the UI and the API, and exits 0 when stopped', async () => {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let listening: (line: { url: string; port: number }) => void = () => undefined;
    const listeningLine = new Promise<{ url: string; port: number }>((resolve) => (listening = resolve));
    const runPromise = cli(['serve', '--port', '0', '--json'], {
      waitForStop: () => stopped,
      onStdout: (text) => {
        for (const line of text.split('\n').filter(Boolean)) {
          const parsed = JSON.parse(line) as { type: string; url: string; port: number };
          if (parsed.type === 'listening') listening(parsed);
        }
      },
    });
    try {
      const { url, port } = await listeningLine;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/);
      expect(url).toContain(`:${port}/`);
      const token = url.split('#token=')[1] as string;

      const page = await httpRequest(port, '/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');

      const client = await connectClient(port, token);
      const created = await client.invoke('projects.create', { name: 'Served' });
      expect(created).toMatchObject({ ok: true, value: { name: 'Served' } });
      const info = await client.invoke('app.info');
      expect(info).toMatchObject({ ok: true, value: { host: 'bridge', dataDir: home } });
      client.ws.terminate();
    } finally {
      stop();
    }
    const run = await runPromise;
    expect(run.code).toBe(0);
    const lines = jsonOf(run);
    expect(lines.map((line) => line.type)).toEqual(['listening', 'stopped']);
    expect(run.stderr()).toBe('');
    // the project created over the bridge is in the store, and the port is closed
    expect((await listProjects()).map((project) => project.name)).toEqual(['Served']);
    const port = (lines[0] as { port: number }).port;
    await expect(httpRequest(port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it.runIf(built)('serve on a port already in use exits 1 with CONFLICT naming the port', async () => {
    const blocker = await listen();
    try {
      const port = (blocker.address() as AddressInfo).port;
      const message = expectJsonError(await cli(['serve', '--port', String(port), '--json']), 'CONFLICT');
      expect(message).toContain(`Port ${port}`);
      const text = expectTextError(await cli(['serve', '--port', String(port)]));
      expect(text).toContain(String(port));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
