import { describe, expect, it } from 'vitest';
import { typesConflict } from '../../../../src-main/pipeline/validate/checkPromisedShape.ts';
import { parsePromisedShape } from '../../../../src-main/pipeline/validate/promisedShape.ts';
import { validateFile } from '../../../../src-main/pipeline/validate/validateFile.ts';
import { firewallFiles, firewallPlan } from '../../../support/pipelineProject.ts';
import { projectOf } from './projectOf.ts';

async function interfaceProblems(content: string, exports: string[]) {
  const { problems } = await validateFile({ path: 'app/models.py', language: 'python', content, exports }, projectOf({ 'requirements.txt': 'fastapi\n' }));
  return problems.filter((problem) => problem.rule === 'interface').map((problem) => problem.message);
}

const models = [
  'from dataclasses import dataclass',
  '',
  'from pydantic import BaseModel, Field',
  '',
  '',
  'class RuleIn(BaseModel):',
  '    name: str',
  '    action: str = "deny"',
  '    ports: list[int] = Field(default_factory=list)',
  '',
  '',
  'class Rule(RuleIn):',
  '    id: str',
  '',
  '',
  '@dataclass',
  'class Hit:',
  '    rule_id: int',
  '    count: int = 0',
  '',
  '',
  'class RuleStore:',
  '    def add(self, rule: Rule, *, replace: bool = False) -> Rule:',
  '        return rule',
  '',
  '',
  'def create_rule(rule_in: RuleIn, owner: str) -> Rule:',
  '    return Rule(id="1", **rule_in.model_dump())',
  '',
].join('\n');

describe('promised shapes', () => {
  it.each([
    ['class Rule(BaseModel): id: int, action: str', { name: 'Rule', kind: 'fields', slots: [{ name: 'id', type: 'int', optional: false }, { name: 'action', type: 'str', optional: false }], method: false }],
    ['class Rule(id: int, action: str = "deny")', { name: 'Rule', kind: 'fields', slots: [{ name: 'id', type: 'int', optional: false }, { name: 'action', type: 'str', optional: true }], method: false }],
    ['@dataclass class Hit { rule_id: int; count: int }', { name: 'Hit', kind: 'fields', slots: [{ name: 'rule_id', type: 'int', optional: false }, { name: 'count', type: 'int', optional: false }], method: false }],
    ['def add(self, rule: Rule) -> Rule', { name: 'add', kind: 'params', slots: [{ name: 'rule', type: 'Rule', optional: false }], returns: 'Rule', method: true }],
    ['Rule(id: int)', { name: 'Rule', kind: 'call', slots: [{ name: 'id', type: 'int', optional: false }], method: false }],
  ])('reads %s', (entry, expected) => {
    expect(parsePromisedShape(entry)).toEqual(expected);
  });

  it('reads no shape from a bare class or prose', () => {
    expect(parsePromisedShape('class Rule(BaseModel)')).toBeUndefined();
    expect(parsePromisedShape('a model of a rule')).toBeUndefined();
  });

  it.each([
    ['int', 'str', true],
    ['Optional[int]', 'int | None', false],
    ['List[int]', 'list[str]', true],
    ['str', 'EmailStr', false],
    ['int', 'Annotated[int, Field(gt=0)]', false],
    ['dict[str, int]', 'Dict[str, int]', false],
    ['Rule', 'RuleOut', false],
  ])('%s vs %s conflict: %s', (a, b, expected) => {
    expect(typesConflict(a, b)).toBe(expected);
  });

  it('accepts a file whose fields and signatures fit the plan (inherited fields, defaults, optionality)', async () => {
    const promised = ['class RuleIn(BaseModel): name: str, action: str = "deny"', 'class Rule(RuleIn): id: str, name: str', 'class Hit(rule_id: int, count: int = 0)', 'RuleStore.add(rule: Rule) -> Rule', 'def create_rule(rule_in: RuleIn, owner: str | None) -> Rule'];
    expect(await interfaceProblems(models, promised)).toEqual([]);
  });

  it('reports a field typed differently, a missing field, a renamed and an extra required parameter', async () => {
    const promised = ['class Rule(BaseModel): id: int, action: str, priority: int', 'Hit(rule_id: int, hits: int)', 'def create_rule(rule: RuleIn) -> Rule', 'def add(self, rule: Rule) -> list[Rule]'];
    expect(await interfaceProblems(models, promised)).toEqual([
      'promises `class Rule(BaseModel): id: int, action: str, priority: int`, but class Rule declares `id: str` where the plan promises `id: int`',
      'promises `class Rule(BaseModel): id: int, action: str, priority: int`, but class Rule has no field `priority` (it has name: str, action: str, ports: list[int], id: str)',
      'promises `Hit(rule_id: int, hits: int)`, but class Hit has no field `hits` (it has rule_id: int, count: int)',
      'promises `def create_rule(rule: RuleIn) -> Rule`, but create_rule has no parameter `rule` (it has rule_in: RuleIn, owner: str)',
      'promises `def create_rule(rule: RuleIn) -> Rule`, but create_rule requires the parameter `rule_in`, which the plan does not promise, so callers written against the plan do not pass it',
      'promises `def create_rule(rule: RuleIn) -> Rule`, but create_rule requires the parameter `owner`, which the plan does not promise, so callers written against the plan do not pass it',
    ]);
  });

  it('says nothing on the firewall project', async () => {
    const project = projectOf(firewallFiles);
    for (const file of firewallPlan.files.filter((planned) => planned.language === 'python')) {
      const { problems } = await validateFile({ path: file.path, language: 'python', content: firewallFiles[file.path] ?? '', exports: file.exports }, project);
      expect(problems, file.path).toEqual([]);
    }
  });
});
