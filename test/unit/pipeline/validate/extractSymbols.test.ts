import { describe, expect, it } from 'vitest';
import { extractSymbols } from '../../../../src-main/pipeline/validate/extractSymbols.ts';

describe('extractSymbols', () => {
  it('lists Python top-level definitions and every import', async () => {
    const content = [
      'from __future__ import annotations',
      'import os.path as osp, sys',
      'from .models import Rule as R, RuleIn',
      'from .. import db',
      'from app.util import *',
      '',
      'A = B = 1',
      'x, (y, z) = 1, (2, 3)',
      'limit: int = 3',
      'obj.attr = 4',
      '',
      '',
      '@decorator',
      'async def create_rule(rule: RuleIn) -> R:',
      '    import json',
      '    return rule',
      '',
      '',
      'class RuleStore:',
      '    def add(self) -> None: ...',
      '',
      '',
      'try:',
      '    import ujson as json',
      'except ImportError:',
      '    json = None',
      '',
    ].join('\n');
    expect(await extractSymbols({ path: 'app/routes.py', language: 'python', content })).toEqual({
      exports: ['A', 'B', 'x', 'y', 'z', 'limit', 'create_rule', 'RuleStore', 'json'],
      imports: [
        { module: '__future__', names: ['annotations'], line: 1 },
        { module: 'os.path', names: [], line: 2 },
        { module: 'sys', names: [], line: 2 },
        { module: '.models', names: ['Rule', 'RuleIn'], line: 3 },
        { module: '..', names: ['db'], line: 4 },
        { module: 'app.util', names: ['*'], line: 5 },
        { module: 'json', names: [], line: 15 },
        { module: 'ujson', names: [], line: 24, optional: true },
      ],
    });
  });

  it('lists TS/JS exports (declarations, clauses, default, CommonJS) and imports as written', async () => {
    const content = [
      "import D, { a, b as c, type T } from './x.js';",
      "import * as ns from '../y';",
      "import './side-effect.css';",
      'export function f(): void {}',
      'export const k = 1, { l, m: mm } = o;',
      'export interface I { a: string }',
      'export type TT = string;',
      'export enum E { A }',
      'export abstract class AC {}',
      'export default class {}',
      'const hidden = 1;',
      'export { hidden as shown };',
      "export { x1, x2 as y2 } from './w';",
      "export * from './all';",
      "const { r1 } = require('./r');",
      "const lazy = import('./lazy');",
      '',
    ].join('\n');
    expect(await extractSymbols({ path: 'src/a.ts', language: 'typescript', content })).toEqual({
      exports: ['f', 'k', 'l', 'mm', 'I', 'TT', 'E', 'AC', 'default', 'shown', 'x1', 'y2'],
      imports: [
        { module: './x.js', names: ['default', 'a', 'b', 'T'], line: 1 },
        { module: '../y', names: [], line: 2 },
        { module: './side-effect.css', names: [], line: 3 },
        { module: './w', names: ['x1', 'x2'], line: 13, reexport: true },
        { module: './all', names: ['*'], line: 14, reexport: true },
        { module: './r', names: ['r1'], line: 15 },
        { module: './lazy', names: [], line: 16 },
      ],
    });
  });

  it('reads CommonJS exports', async () => {
    const content = "exports.one = 1;\nmodule.exports.two = 2;\nmodule.exports = { three, four: 4, five() {} };\n";
    expect((await extractSymbols({ path: 'lib/a.js', language: 'javascript', content })).exports).toEqual(['one', 'two', 'default', 'three', 'four', 'five']);
  });

  it('has nothing to say about other languages', async () => {
    expect(await extractSymbols({ path: 'a.yaml', language: 'yaml', content: 'a: 1\n' })).toEqual({ exports: [], imports: [] });
  });
});
