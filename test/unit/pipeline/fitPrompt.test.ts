import { describe, expect, it } from 'vitest';
import { fitPrompt, leftOutNote, placeholderName, promptBudgetFor } from '../../../src-main/pipeline/fitPrompt.ts';
import { dataBlock } from '../../../src-main/prompts/dataBlock.ts';
import { countTokens } from '../../../src-main/tokens/countTokens.ts';
import { seededRandom } from '../../support/seededRandom.ts';

function codeLines(count: number, seed: number): string {
  const random = seededRandom(seed);
  const word = () => Array.from({ length: 3 + Math.floor(random() * 8) }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
  return Array.from({ length: count }, (_, index) => `    ${word()}_${index} = ${word()}(${Math.floor(random() * 1000)})`).join('\n');
}

const budget = { contextLength: 4_096, count: countTokens };
const template = 'Fix {{path}}.\nFile:\n{{content}}\nLog:\n{{log}}\nNotes:\n{{notes}}';

describe('fitPrompt', () => {
  it('fits the whole prompt next to the answer, cutting and leaving out by priority and saying so', () => {
    const content = codeLines(60, 1);
    const log = `${codeLines(600, 2)}\nE   AssertionError: 201 != 200`;
    const prompt = fitPrompt({
      budget,
      answerTokens: 1_024,
      system: 'You fix files.',
      template,
      values: { path: 'app/main.py' },
      sections: [
        { key: 'content', text: content, priority: 0, shrink: 'none', wrap: (text) => dataBlock('content', text) },
        { key: 'log', text: log, priority: 1, shrink: 'head', minTokens: 200 },
        { key: 'notes', text: codeLines(400, 3), priority: 2, shrink: 'none' },
      ],
    });
    const total = prompt.messages.reduce((sum, message) => sum + 8 + countTokens(message.content), 0);
    expect(total).toBe(prompt.promptTokens);
    expect(total + 1_024).toBeLessThanOrEqual(4_096);
    expect(prompt.available).toBe(4_096 - 1_024 - 32);
    const user = prompt.messages[1]?.content ?? '';
    expect(user).toContain(dataBlock('content', content));
    expect(user).toContain('E   AssertionError: 201 != 200');
    expect(user).toMatch(/Log:\n… \([\d,]+ lines cut to fit the model's window\)\n/);
    expect(user).toContain(`Notes:\n${leftOutNote}`);
    expect(prompt.fit.cut).toEqual(['log']);
    expect(prompt.fit.dropped).toEqual(['notes']);
  });

  it('never reads model text as a placeholder', () => {
    const prompt = fitPrompt({ budget, answerTokens: 100, system: 's', template: '{{a}} {{b}}', sections: [{ key: 'a', text: '{{b}}', priority: 0, shrink: 'none' }, { key: 'b', text: 'real', priority: 1, shrink: 'none' }] });
    expect(prompt.messages[1]?.content).toBe('{{b}} real');
  });

  it('refits once when the whole counts more than its parts', () => {
    // A count that charges a whole prompt 30% more than its parts (as a chat template might).
    let wholeCounts = 0;
    const count = (text: string) => {
      if (!text.startsWith('Whole')) return countTokens(text);
      wholeCounts += 1;
      return Math.ceil(countTokens(text) * 1.3);
    };
    const prompt = fitPrompt({
      budget: { contextLength: 1_000, count },
      answerTokens: 200,
      system: 'sys',
      template: 'Whole {{log}}',
      sections: [{ key: 'log', text: codeLines(500, 4), priority: 0, shrink: 'head' }],
    });
    expect(prompt.promptTokens).toBeLessThanOrEqual(prompt.available);
    expect(prompt.fit.cut).toEqual(['log']);
    // The fixed part, the first fit (over), the refit.
    expect(wholeCounts).toBe(3);
  });
});

describe('promptBudgetFor', () => {
  it("uses the gateway's budget when the context has one, else the window with a margin", async () => {
    const own = { contextLength: 32_768, count: (text: string) => text.length };
    expect(await promptBudgetFor({ contextWindow: () => 8_192, promptBudget: async () => own }, 'fix')).toBe(own);
    const fallback = await promptBudgetFor({ contextWindow: () => undefined }, 'fix');
    expect(fallback.contextLength).toBe(8_192);
    const text = codeLines(50, 5);
    expect(fallback.count(text)).toBe(Math.max(Math.ceil(countTokens(text) * 1.15), Math.ceil(text.length / 4)));
  });
});

describe('placeholderName', () => {
  it('gives distinct letter-only names', () => {
    const names = Array.from({ length: 2_000 }, (_, index) => placeholderName(index));
    expect(names.slice(0, 3)).toEqual(['A', 'B', 'C']);
    expect(names[26]).toBe('BA');
    expect(new Set(names).size).toBe(2_000);
    for (const name of names) expect(name).toMatch(/^[A-Z]+$/);
  });
});
