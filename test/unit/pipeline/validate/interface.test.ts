import { describe, expect, it } from 'vitest';
import { parsePromisedExport } from '../../../../src-main/pipeline/validate/parsePromisedExport.ts';
import { validateFile } from '../../../../src-main/pipeline/validate/validateFile.ts';
import { projectOf } from './projectOf.ts';

async function interfaceProblems(path: string, language: 'python' | 'typescript' | 'javascript', content: string, exports: string[]) {
  const { problems } = await validateFile({ path, language, content, exports }, projectOf({ 'requirements.txt': 'fastapi\n' }));
  return problems.filter((problem) => problem.rule === 'interface').map((problem) => problem.message);
}

describe('parsePromisedExport', () => {
  it.each([
    ['def create_rule(rule: Rule) -> Rule', { kind: 'name', name: 'create_rule', method: false, isDefault: false }],
    ['async def list_rules() -> list[Rule]', { kind: 'name', name: 'list_rules', method: false, isDefault: false }],
    ['class RuleStore', { kind: 'name', name: 'RuleStore', method: false, isDefault: false }],
    ['def add(self, rule: Rule) -> None', { kind: 'name', name: 'add', method: true, isDefault: false }],
    ['RuleStore.add(rule: Rule) -> None', { kind: 'name', name: 'RuleStore', member: 'add', method: false, isDefault: false }],
    ['export function parseRule(text: string): Rule', { kind: 'name', name: 'parseRule', method: false, isDefault: false }],
    ['export default function App(): JSX.Element', { kind: 'name', name: 'App', method: false, isDefault: true }],
    ['export const MAX_RULES = 100', { kind: 'name', name: 'MAX_RULES', method: false, isDefault: false }],
    ['interface Rule { id: string }', { kind: 'name', name: 'Rule', method: false, isDefault: false }],
    ['type RuleId = string', { kind: 'name', name: 'RuleId', method: false, isDefault: false }],
    ['router: APIRouter', { kind: 'name', name: 'router', method: false, isDefault: false }],
    ['@router.post("/rules") def create_rule(rule: RuleIn) -> RuleOut', { kind: 'name', name: 'create_rule', method: false, isDefault: false }],
    ['POST /rules -> Rule', { kind: 'endpoint', method: 'POST', path: '/rules' }],
    ['get /rules/{rule_id}', { kind: 'endpoint', method: 'GET', path: '/rules/{rule_id}' }],
  ])('%s', (entry, expected) => {
    expect(parsePromisedExport(entry)).toEqual(expected);
  });

  it('gives up on prose', () => {
    expect(parsePromisedExport('a Pydantic model with the fields of a rule')).toBeUndefined();
  });
});

describe('validateFile: promised interface', () => {
  const routes = [
    'from fastapi import APIRouter',
    '',
    'router = APIRouter(prefix="/rules")',
    '',
    '',
    '@router.post("")',
    'def create_rule(rule: dict) -> dict:',
    '    return rule',
    '',
    '',
    '@router.get("/{rule_id}")',
    'def get_rule(rule_id: int) -> dict:',
    '    return {}',
    '',
    '',
    'class RuleStore:',
    '    def add(self, rule: dict) -> None:',
    '        pass',
    '',
  ].join('\n');

  it('accepts a Python file that defines everything it promises', async () => {
    const promised = ['def create_rule(rule: Rule) -> Rule', 'def get_rule(rule_id: int) -> Rule', 'class RuleStore', 'RuleStore.add(rule)', 'def add(self, rule)', 'router: APIRouter', 'POST /rules -> Rule', 'GET /rules/{id} -> Rule', 'a model for rules'];
    expect(await interfaceProblems('app/routes.py', 'python', routes, promised)).toEqual([]);
  });

  it('reports a Python file missing a promised function, method and endpoint', async () => {
    const promised = ['def create_rule(rule: Rule) -> Rule', 'async def delete_rule(rule_id: int) -> None', 'RuleStore.remove(rule_id)', 'DELETE /users/{id}'];
    expect(await interfaceProblems('app/routes.py', 'python', routes, promised)).toEqual([
      'promises `delete_rule` but does not define it (top-level names: router, create_rule, get_rule, RuleStore)',
      'promises `RuleStore.remove` but class RuleStore does not define remove (its methods: add)',
      'promises the endpoint `DELETE /users/{id}` but no route string in the file matches /users/{id}',
    ]);
  });

  it('counts names a package __init__ re-exports', async () => {
    expect(await interfaceProblems('app/__init__.py', 'python', 'from .models import Rule\n', ['class Rule'])).toEqual([]);
  });

  it('checks TypeScript exports, telling defined-but-unexported apart', async () => {
    const content = 'export interface Rule { id: string }\nfunction parseRule(text: string): Rule { return { id: text }; }\nconst helper = 1;\nexport { helper as ruleHelper };\nexport default function App() { return null; }\napp.post("/rules", handler);\n';
    const promised = ['export interface Rule', 'export function parseRule(text: string): Rule', 'function formatRule(rule: Rule): string', 'const ruleHelper', 'export default function App()', 'POST /rules'];
    expect(await interfaceProblems('src/rules.ts', 'typescript', content, promised)).toEqual([
      'promises `parseRule` and defines it, but does not export it',
      'promises `formatRule` but does not define it (exports: Rule, ruleHelper, default)',
    ]);
  });

  it('checks CommonJS exports in JavaScript', async () => {
    const content = "const express = require('express');\nfunction createApp() {}\nmodule.exports = { createApp };\n";
    expect(await interfaceProblems('src/app.js', 'javascript', content, ['function createApp()', 'function listen(port)'])).toEqual(['promises `listen` but does not define it (exports: default, createApp)']);
  });
});
