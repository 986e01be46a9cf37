import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../src-shared/AppError.ts';

export interface PromptTemplate {
  name: string;
  /** From the front matter; stored with everything generated from the template. */
  version: string;
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
  const template: PromptTemplate = { name, version: parsed.data.version, system: system.trim(), ...(user !== undefined ? { user: user.trim() } : {}) };
  cache.set(path, template);
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
