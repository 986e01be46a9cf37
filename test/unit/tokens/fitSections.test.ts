import { describe, expect, it } from 'vitest';
import { fitSections, type PromptSection } from '../../../src-main/tokens/fitSections.ts';
import { cutToTokens } from '../../../src-main/tokens/cutToTokens.ts';
import { countTokens } from '../../../src-main/tokens/countTokens.ts';

function lines(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, index) => `${prefix} line ${index + 1}: value = compute(${index}, "${prefix}")`).join('\n');
}

function countingCounter(): { count: (text: string) => number; calls: () => number } {
  let calls = 0;
  return {
    count: (text) => {
      calls += 1;
      return countTokens(text);
    },
    calls: () => calls,
  };
}

describe('fitSections', () => {
  it('keeps every section whole when they fit, counting each once', () => {
    const counter = countingCounter();
    const sections: PromptSection[] = [
      { key: 'a', text: 'alpha beta', priority: 1, shrink: 'tail' },
      { key: 'b', text: 'gamma', priority: 2, shrink: 'none' },
    ];
    const fit = fitSections(sections, 1000, counter.count);
    expect(fit.texts).toEqual({ a: 'alpha beta', b: 'gamma' });
    expect(fit.cut).toEqual([]);
    expect(fit.dropped).toEqual([]);
    expect(fit.totalTokens).toBe(countTokens('alpha beta') + countTokens('gamma'));
    expect(counter.calls()).toBe(2);
  });

  it('drops whole-only sections of low priority first and never goes over the budget', () => {
    const file = lines('file', 50);
    const interfaces = lines('iface', 200);
    const fileTokens = countTokens(file);
    const fit = fitSections(
      [
        { key: 'interfaces', text: interfaces, priority: 3, shrink: 'none' },
        { key: 'file', text: file, priority: 2, shrink: 'none' },
      ],
      fileTokens + 100,
      countTokens,
    );
    expect(fit.texts.file).toBe(file);
    expect(fit.texts.interfaces).toBe('');
    expect(fit.dropped).toEqual(['interfaces']);
    expect(fit.totalTokens).toBeLessThanOrEqual(fileTokens + 100);
  });

  it('cuts a log keeping its end and says how many lines were cut, around a whole file of lower priority', () => {
    const log = `${lines('setup', 2000)}\nAssertionError: expected 201, got 200`;
    const file = lines('file', 100);
    const budget = countTokens(file) + 1500;
    const counter = countingCounter();
    const fit = fitSections(
      [
        { key: 'log', text: log, priority: 1, shrink: 'head', minTokens: 300 },
        { key: 'file', text: file, priority: 2, shrink: 'none' },
      ],
      budget,
      counter.count,
    );
    expect(fit.texts.file).toBe(file);
    expect(fit.cut).toEqual(['log']);
    expect(fit.texts.log.endsWith('AssertionError: expected 201, got 200')).toBe(true);
    expect(fit.texts.log).toMatch(/^… \([\d,]+ lines cut to fit the model's window\)\n/);
    const cutLines = Number(/\(([\d,]+) lines/.exec(fit.texts.log)![1]!.replaceAll(',', ''));
    const keptLines = fit.texts.log.split('\n').length - 1;
    expect(cutLines + keptLines).toBe(log.split('\n').length);
    expect(fit.totalTokens).toBeLessThanOrEqual(budget);
    expect(fit.totalTokens).toBeGreaterThan(budget * 0.8);
    expect(countTokens(fit.texts.log) + countTokens(fit.texts.file)).toBe(fit.totalTokens);
    // Two counts to measure, a few to cut: never one per line.
    expect(counter.calls()).toBeLessThanOrEqual(6);
  });

  it('cuts code keeping its start, with the note at the end', () => {
    const code = lines('code', 1000);
    const fit = fitSections([{ key: 'code', text: code, priority: 1, shrink: 'tail' }], 800, countTokens);
    expect(fit.texts.code.startsWith('code line 1: ')).toBe(true);
    expect(fit.texts.code).toMatch(/\n… \([\d,]+ lines cut to fit the model's window\)$/);
    expect(fit.sections[0]).toMatchObject({ state: 'cut', originalTokens: countTokens(code) });
    expect(fit.totalTokens).toBeLessThanOrEqual(800);
  });

  it('gives the room left to shrinkable sections in priority order', () => {
    const first = lines('first', 400);
    const second = lines('second', 400);
    const fit = fitSections(
      [
        { key: 'second', text: second, priority: 2, shrink: 'tail' },
        { key: 'first', text: first, priority: 1, shrink: 'tail' },
      ],
      countTokens(first) + 200,
      countTokens,
    );
    expect(fit.texts.first).toBe(first);
    expect(fit.cut).toEqual(['second']);
    expect(fit.sections.map((section) => section.key)).toEqual(['second', 'first']);
  });

  it('drops a shrinkable section when less than its minimum would fit', () => {
    const fit = fitSections(
      [
        { key: 'file', text: lines('file', 20), priority: 1, shrink: 'none' },
        { key: 'context', text: lines('context', 100), priority: 2, shrink: 'tail', minTokens: 500 },
      ],
      countTokens(lines('file', 20)) + 300,
      countTokens,
    );
    expect(fit.dropped).toEqual(['context']);
    expect(fit.texts.context).toBe('');
  });

  it('stays within the budget for many sizes and mixes (the real tokenizer)', () => {
    for (let budget = 100; budget <= 6000; budget += 737) {
      const fit = fitSections(
        [
          { key: 'log', text: lines('log', 300), priority: 1, shrink: 'head' },
          { key: 'file', text: lines('file', 60), priority: 2, shrink: 'none' },
          { key: 'deps', text: lines('dep', 150), priority: 3, shrink: 'tail' },
          { key: 'plan', text: 'plan words '.repeat(800), priority: 4, shrink: 'tail' },
        ],
        budget,
        countTokens,
      );
      const recount = fit.sections.reduce((sum, section) => sum + countTokens(section.text), 0);
      expect(recount).toBeLessThanOrEqual(budget);
      expect(fit.totalTokens).toBe(recount);
    }
  });

  it('drops everything but empty sections for a budget of zero', () => {
    const fit = fitSections(
      [
        { key: 'a', text: 'hello', priority: 1, shrink: 'tail' },
        { key: 'b', text: '', priority: 2, shrink: 'none' },
      ],
      0,
      countTokens,
    );
    expect(fit.dropped).toEqual(['a']);
    expect(fit.totalTokens).toBe(0);
  });
});

describe('cutToTokens', () => {
  it('cuts a single long line by characters and says so', () => {
    const text = 'word '.repeat(5000);
    const cut = cutToTokens(text, 200, countTokens, 'start');
    expect(cut?.cut).toBe(true);
    expect(cut!.text).toMatch(/\n… \([\d,]+ characters cut to fit the model's window\)$/);
    expect(cut!.tokens).toBeLessThanOrEqual(200);
    expect(countTokens(cut!.text)).toBe(cut!.tokens);
  });

  it('never splits a surrogate pair', () => {
    // A counter by UTF-16 units (the BPE is slow on one long run of emoji): every cut length is tried.
    for (let budget = 101; budget < 140; budget += 1) {
      for (const keep of ['start', 'end'] as const) {
        const cut = cutToTokens('😀'.repeat(300), budget, (text) => text.length, keep);
        expect(cut!.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      }
    }
  });

  it('returns the text itself when it fits and nothing when the minimum does not', () => {
    expect(cutToTokens('short', 100, countTokens, 'start')).toEqual({ text: 'short', tokens: 1, cut: false });
    expect(cutToTokens(lines('x', 100), 50, countTokens, 'start', 80)).toBeUndefined();
  });
});
