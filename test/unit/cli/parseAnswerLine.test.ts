import { describe, expect, it } from 'vitest';
import { parseAnswerLine } from '../../../src-main/cli/interview/parseAnswerLine.ts';

const options = ['Firewall rule management', 'NAT policies', 'Tenant isolation', 'Audit log'];

describe('parseAnswerLine', () => {
  it('numbers pick options, in the order typed, once each', () => {
    expect(parseAnswerLine('1', options, 'multi')).toEqual({ kind: 'answer', answer: { selected: ['Firewall rule management'], text: '' } });
    expect(parseAnswerLine(' 3, 1 ,3 ', options, 'multi')).toEqual({ kind: 'answer', answer: { selected: ['Tenant isolation', 'Firewall rule management'], text: '' } });
    expect(parseAnswerLine('2 4', options, 'multi')).toEqual({ kind: 'answer', answer: { selected: ['NAT policies', 'Audit log'], text: '' } });
  });

  it('numbers then words give both; a joining word is dropped', () => {
    expect(parseAnswerLine('1,3 also backups', options, 'multi')).toEqual({ kind: 'answer', answer: { selected: ['Firewall rule management', 'Tenant isolation'], text: 'backups' } });
    expect(parseAnswerLine('2, scheduled backups, DNS', options, 'multi')).toEqual({ kind: 'answer', answer: { selected: ['NAT policies'], text: 'scheduled backups, DNS' } });
    expect(parseAnswerLine('1 2nd factor login', options, 'multi')).toEqual({ kind: 'answer', answer: { selected: ['Firewall rule management'], text: '2nd factor login' } });
  });

  it('anything else is free text, including a number beyond the list followed by words', () => {
    expect(parseAnswerLine('rate limiting, geo blocking', options, 'multi')).toEqual({ kind: 'answer', answer: { selected: [], text: 'rate limiting, geo blocking' } });
    expect(parseAnswerLine('100 rules per tenant', options, 'multi')).toEqual({ kind: 'answer', answer: { selected: [], text: '100 rules per tenant' } });
    expect(parseAnswerLine('3', [], 'free_text')).toEqual({ kind: 'answer', answer: { selected: [], text: '3' } });
  });

  it('refuses option numbers that do not exist, and several picks for a single-choice question', () => {
    expect(parseAnswerLine('7', options, 'multi')).toEqual({ kind: 'invalid', message: 'There is no option 7: pick from 1 to 4, or type your answer in words.' });
    expect(parseAnswerLine('0,1', options, 'multi').kind).toBe('invalid');
    expect(parseAnswerLine('1,2', options, 'single')).toEqual({ kind: 'invalid', message: 'This question takes one option: pick one number from 1 to 4.' });
    expect(parseAnswerLine('2,2', options, 'single')).toEqual({ kind: 'answer', answer: { selected: ['NAT policies'], text: '' } });
  });

  it(':q quits and a blank line is no answer', () => {
    expect(parseAnswerLine(':q', options, 'multi')).toEqual({ kind: 'quit' });
    expect(parseAnswerLine(' :QUIT ', options, 'multi')).toEqual({ kind: 'quit' });
    expect(parseAnswerLine('   ', options, 'multi')).toEqual({ kind: 'empty' });
  });
});
