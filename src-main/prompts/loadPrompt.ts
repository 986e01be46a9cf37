import { createHash, randomUUID } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../src-shared/AppError.ts';

export interface PromptTemplate {
  name: string;
  /** From the front matter: the human number. */
  version: string;
  /**
   * What is recorded with everything made from the template: `name@version#hash`, the hash over
   * the template's whole text, so an edited template never passes for the one it was before.
   */
  id: string;
  system: string;
  /** The user-message part (after a `=== user ===` line), when the template has one. */
  user?: string;
}

const frontMatterSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  version: z.string().regex(/^\d+(\.\d+)*$/, 'version is a number like 1 or 1.2'),
  description: z.string().optional(),
});

const cache = new Map<string, PromptTemplate>();

/** Where each template text used is kept (the data folder's prompt-history), once per version and hash; unset: not kept. */
let historyDir: string | undefined;
/** Where a text that could not be kept is told (the app log; the console when none is given). */
let warnHistory: (message: string, error: string) => void = (message, error) => console.warn(`[prompts] ${message}: ${error}`);

export function keepPromptHistory(dir: string | undefined, warn?: (message: string, error: string) => void): void {
  historyDir = dir;
  if (warn) warnHistory = warn;
}

function keepInHistory(template: PromptTemplate, source: string, hash: string): void {
  if (historyDir === undefined) return;
  const path = join(historyDir, `${template.name}@${template.version}-${hash}.md`);
  let temporary: string | undefined;
  try {
    mkdirSync(historyDir, { recursive: true, mode: 0o700 });
  } catch {
    // A file at its name (mkdir's "exists"): told below, as a folder it is not.
  }
  try {
    const folder = lstatSync(historyDir, { throwIfNoEntry: false });
    // The history is the data folder's own: a link there would have it written in another place.
    if (folder?.isSymbolicLink()) throw new Error(`${historyDir} is a link to another place, and the history is kept only inside the data folder`);
    if (!folder?.isDirectory()) throw new Error(`${historyDir} is not a folder`);
    // The name says the text: one there already is kept when it is that text (read only when its size is).
    const there = lstatSync(path, { throwIfNoEntry: false });
    if (there?.isFile() && there.size === Buffer.byteLength(source) && readFileSync(path, 'utf8') === source) return;
    // Else (a part left by a process that ended mid-write, other bytes, a link) it is replaced whole:
    // written under a name of its own, then moved in, so no one ever reads a part of it.
    temporary = `${path}.${process.pid}-${randomUUID()}.tmp`;
    writeFileSync(temporary, source, { flag: 'wx', mode: 0o600 });
    renameSync(temporary, path);
    temporary = undefined;
  } catch (error) {
    warnHistory(`could not keep ${template.name}.md in the prompt history`, error instanceof Error ? error.message : String(error));
  } finally {
    if (temporary !== undefined) rmSync(temporary, { force: true });
  }
}

/**
 * Reads `resources/prompts/<name>.md`: YAML-like `key: value` front matter between `---` lines
 * (name, version, description), then the system text, then optionally `=== user ===` and the
 * user-message text. Placeholders are `{{name}}`; see renderPrompt.
 */
export function loadPrompt(promptsDir: string, name: string): PromptTemplate {
  const path = join(promptsDir, `${name}.md`);
  const cached = cache.get(path);
  if (cached) return cached;
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('INTERNAL', `The prompt template ${name}.md is missing from ${promptsDir}`, { cause: error });
  }
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(source);
  if (!match) throw new AppError('INTERNAL', `The prompt template ${name}.md has no front matter (--- name/version ---)`);
  const fields = Object.fromEntries(
    (match[1] ?? '')
      .split(/\r?\n/)
      .map((line) => /^([a-z]+):\s*(.*)$/.exec(line))
      .filter((found): found is RegExpExecArray => found !== null)
      .map((found) => [found[1], found[2]?.trim()]),
  );
  const parsed = frontMatterSchema.safeParse(fields);
  if (!parsed.success || parsed.data.name !== name) {
    throw new AppError('INTERNAL', `The front matter of ${name}.md needs "name: ${name}" and "version: N" (${parsed.error?.issues[0]?.message ?? `got name ${String(fields.name)}`})`);
  }
  const [system = '', user] = (match[2] ?? '').split(/^=== user ===\s*$/m);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const template: PromptTemplate = { name, version: parsed.data.version, id: `${name}@${parsed.data.version}#${hash}`, system: system.trim(), ...(user !== undefined ? { user: user.trim() } : {}) };
  cache.set(path, template);
  keepInHistory(template, source, hash);
  return template;
}

/** Fills `{{name}}` placeholders; a placeholder without a value is an error, never left in the prompt. */
export function renderPrompt(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{([a-zA-Z]+)\}\}/g, (_whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new AppError('INTERNAL', `The prompt needs a value for {{${key}}}`);
    return value;
  });
}
