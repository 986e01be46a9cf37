import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRepairPrompt, fallbackTokens } from '../../../../src-main/pipeline/repair/buildRepairPrompt.ts';
import type { RepairTarget } from '../../../../src-main/pipeline/repair/pickRepairTargets.ts';
import { loadPrompt } from '../../../../src-main/prompts/loadPrompt.ts';
import { estimateTokens } from '../../../../src-main/router/estimateTokens.ts';
import { countTokens } from '../../../../src-main/tokens/countTokens.ts';
import { seededRandom } from '../../../support/seededRandom.ts';

const template = loadPrompt(join(import.meta.dirname, '../../../../resources/prompts'), 'repair-file');
const target: RepairTarget = {
  file: { path: 'app/store.py', purpose: 'In-memory rule store', language: 'python', kind: 'source', dependsOn: ['app/models.py'], exports: ['class RuleStore'] },
  score: 45,
  why: ['innermost project frame of the traceback (app/store.py:812, in add)'],
};

/** Python-looking lines with varied identifiers (repeated text would tokenize unrealistically well). */
function pythonLines(count: number, seed: number): string {
  const random = seededRandom(seed);
  const word = () => Array.from({ length: 3 + Math.floor(random() * 8) }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
  return Array.from({ length: count }, (_, index) => `    ${word()}_${index} = compute_${word()}(${word()}, ${Math.floor(random() * 1000)})  # ${word()} ${word()}`).join('\n');
}

const traceback = ['app/store.py:812: in add', '    self._rules.push(rule)', "E   AttributeError: 'list' object has no attribute 'push'", '', 'app/store.py:812: AttributeError'].join('\n');

describe('buildRepairPrompt', () => {
  it('fits an 8,192-token window with a huge log and big files, keeping the traceback and the whole file', () => {
    const content = `class RuleStore:\n${pythonLines(60, 1)}\n`;
    const failures = `${pythonLines(4_000, 2)}\n${traceback}`;
    const prompt = buildRepairPrompt({
      template,
      target,
      content,
      failures,
      tests: [{ path: 'tests/test_store.py', content: pythonLines(800, 3) }],
      interfaces: [{ path: 'app/models.py', text: pythonLines(400, 4) }],
      others: [{ path: 'app/main.py', content: pythonLines(800, 5) }],
      tokens: fallbackTokens(8192),
    });
    if (!prompt.ok) throw new Error(prompt.note);
    const user = prompt.messages[1]?.content ?? '';
    const counted = prompt.messages.reduce((sum, message) => sum + 8 + Math.ceil(countTokens(message.content) * 1.15), 0);
    // Counted by o200k with the margin, and by the router's own estimate: both leave the answer its room.
    expect(counted + prompt.maxTokens).toBeLessThanOrEqual(8192);
    expect(estimateTokens(prompt.messages) + prompt.maxTokens).toBeLessThanOrEqual(8192);
    expect(prompt.promptTokens + prompt.maxTokens).toBeLessThanOrEqual(8192);
    // Used, not wasted: most of the room is filled.
    expect(prompt.promptTokens + prompt.maxTokens).toBeGreaterThan(8192 * 0.8);
    expect(user).toContain(content);
    expect(user).toContain("E   AttributeError: 'list' object has no attribute 'push'");
    expect(user).toContain('innermost project frame of the traceback (app/store.py:812, in add)');
    expect(user).toMatch(/lines cut to fit the model's window/);
    expect(prompt.cut).toEqual(expect.arrayContaining(['tests', 'others']));
    expect(prompt.messages[0]?.content).toBe(template.system);
  });

  it('uses the target\'s own count when it has one', () => {
    const calls: number[] = [];
    const prompt = buildRepairPrompt({
      template,
      target,
      content: 'class RuleStore:\n    pass\n',
      failures: traceback,
      tests: [],
      interfaces: [],
      others: [],
      tokens: { contextLength: 4096, count: (text) => (calls.push(text.length), text.length) },
    });
    expect(prompt.ok && prompt.promptTokens + prompt.maxTokens).toBeLessThanOrEqual(4096);
    expect(calls.length).toBeGreaterThan(0);
  });

  it('does not send a file that cannot fit whole next to its answer, and says so in numbers', () => {
    const prompt = buildRepairPrompt({ template, target, content: pythonLines(700, 6), failures: traceback, tests: [], interfaces: [], others: [], tokens: fallbackTokens(8192) });
    expect(prompt.ok).toBe(false);
    expect(!prompt.ok && prompt.note).toMatch(/^not repaired: app\/store\.py is about [\d,]+ tokens; its rewrite does not fit the 4,096 tokens of answer the model's 8,192-token window leaves$/);
  });
});
