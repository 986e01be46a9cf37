import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../../../../src-main/pipeline/validate/checkConsistency.ts';
import { languageOfPath } from '../../../../src-main/pipeline/validate/languageOfPath.ts';
import { validateFile } from '../../../../src-main/pipeline/validate/validateFile.ts';
import { projectOf } from './projectOf.ts';

function filesOf(files: Record<string, string>) {
  return Object.entries(files).map(([path, content]) => ({ path, language: languageOfPath(path), content }));
}

const fastApiProject: Record<string, string> = {
  'requirements.txt': 'fastapi>=0.110\nuvicorn[standard]\nhttpx\npytest\n',
  'app/__init__.py': '',
  'app/models.py': [
    'from pydantic import BaseModel',
    '',
    '',
    'class RuleIn(BaseModel):',
    '    name: str',
    '',
    '',
    'class RuleOut(RuleIn):',
    '    id: int',
    '',
  ].join('\n'),
  'app/routes.py': [
    'from fastapi import APIRouter, HTTPException',
    '',
    'from app.models import RuleIn, RuleOut',
    '',
    'router = APIRouter(prefix="/rules")',
    '_rules: dict[int, RuleOut] = {}',
    '',
    '',
    '@router.post("", response_model=RuleOut, status_code=201)',
    'def create_rule(rule: RuleIn) -> RuleOut:',
    '    created = RuleOut(id=len(_rules) + 1, **rule.model_dump())',
    '    _rules[created.id] = created',
    '    return created',
    '',
    '',
    '@router.get("/{rule_id}", response_model=RuleOut)',
    'def get_rule(rule_id: int) -> RuleOut:',
    '    if rule_id not in _rules:',
    '        raise HTTPException(status_code=404, detail="rule not found")',
    '    return _rules[rule_id]',
    '',
  ].join('\n'),
  'app/main.py': ['from fastapi import FastAPI', '', 'from . import routes', '', 'app = FastAPI()', 'app.include_router(routes.router)', ''].join('\n'),
  'tests/test_routes.py': [
    'from fastapi.testclient import TestClient',
    '',
    'from app.main import app',
    '',
    'client = TestClient(app)',
    '',
    '',
    'def test_create_and_get_rule() -> None:',
    '    created = client.post("/rules", json={"name": "r"}).json()',
    '    assert client.get(f"/rules/{created[\'id\']}").json() == created',
    '',
  ].join('\n'),
};

describe('checkConsistency: Python', () => {
  it('finds nothing wrong in a consistent FastAPI project', async () => {
    expect(await checkConsistency(filesOf(fastApiProject))).toEqual([]);
  });

  it('and every file of it validates cleanly', async () => {
    const project = projectOf(fastApiProject);
    for (const [path, content] of Object.entries(fastApiProject)) {
      if (content === '') continue;
      const { problems } = await validateFile({ path, language: languageOfPath(path), content }, project);
      expect(problems, path).toEqual([]);
    }
  });

  it('finds an imported name the module does not define', async () => {
    const files = { ...fastApiProject, 'app/routes.py': fastApiProject['app/routes.py']?.replace('from app.models import RuleIn, RuleOut', 'from app.models import Rule, RuleIn, RuleOut') ?? '' };
    expect(await checkConsistency(filesOf(files))).toEqual([
      { path: 'app/routes.py', line: 3, kind: 'missing-symbol', target: 'Rule', message: 'app/routes.py line 3 imports Rule from app/models.py, which defines only RuleIn, RuleOut' },
    ]);
  });

  it('finds an import of a project module that does not exist', async () => {
    const files = { ...fastApiProject, 'app/main.py': 'from fastapi import FastAPI\nfrom app.services import RuleService\nfrom .db import engine\n\napp = FastAPI()\n' };
    expect(await checkConsistency(filesOf(files))).toEqual([
      { path: 'app/main.py', line: 2, kind: 'missing-module', target: 'app.services', message: 'app/main.py line 2 imports app.services, but the project has no app/services.py or app/services/__init__.py' },
      { path: 'app/main.py', line: 3, kind: 'missing-module', target: '.db', message: 'app/main.py line 3 imports .db, but the project has no app/db.py or app/db/__init__.py' },
    ]);
  });

  it('follows package re-exports and star imports, and accepts submodules', async () => {
    const files = {
      'app/__init__.py': 'from .models import Rule\n',
      'app/models.py': 'from .base import *\n\nclass Rule: ...\n',
      'app/base.py': 'class Base: ...\n',
      'app/main.py': 'from app import Rule, models\nfrom app.models import Base\nfrom app import Missing\n',
    };
    expect(await checkConsistency(filesOf(files))).toEqual([
      { path: 'app/main.py', line: 3, kind: 'missing-symbol', target: 'Missing', message: 'app/main.py line 3 imports Missing from app/__init__.py, which defines nothing at top level' },
    ]);
  });

  it('cannot rule out names behind a star import of a third-party module', async () => {
    const files = { 'app/models.py': 'from pydantic import *\n', 'app/main.py': 'from app.models import BaseModel\n' };
    expect(await checkConsistency(filesOf(files))).toEqual([]);
  });

  it('ignores third-party and standard-library imports', async () => {
    expect(await checkConsistency(filesOf({ 'main.py': 'import os\nfrom requests import get\nfrom fastapi import Nope\n' }))).toEqual([]);
  });
});

describe('checkConsistency: TypeScript and JavaScript', () => {
  const project: Record<string, string> = {
    'src/rules.ts': 'export interface Rule { id: string }\nexport function parseRule(text: string): Rule { return { id: text }; }\nfunction secret() {}\nexport default parseRule;\n',
    'src/index.ts': "export * from './rules.js';\nexport { parseRule as parse } from './rules.js';\n",
    'src/components/index.tsx': 'export const List = () => null;\n',
    'src/app.ts': "import parse, { parseRule, type Rule } from './rules.js';\nimport { List } from './components';\nimport { Rule as R2 } from './index.js';\nimport data from './data.json';\nimport express from 'express';\n",
    'src/data.json': '{}',
    'lib/util.js': 'function a() {}\nmodule.exports = { a };\n',
    'lib/use.js': "const { a } = require('./util');\nconst util = require('./util.js');\n",
  };

  it('finds nothing wrong in a consistent project (.js specifiers, index files, export *, CommonJS)', async () => {
    expect(await checkConsistency(filesOf(project))).toEqual([]);
  });

  it('finds missing symbols and missing modules', async () => {
    const files = {
      ...project,
      'src/app.ts': "import { parseRule, formatRule } from './rules.js';\nimport { secret } from './rules';\nimport { x } from './missing';\n",
      'lib/use.js': "const { b } = require('./util');\n",
      'src/style.ts': "import './missing.css';\n",
    };
    expect(await checkConsistency(filesOf(files))).toEqual([
      { path: 'lib/use.js', line: 1, kind: 'missing-symbol', target: 'b', message: 'lib/use.js line 1 imports b from lib/util.js, which exports only a, default' },
      { path: 'src/app.ts', line: 1, kind: 'missing-symbol', target: 'formatRule', message: 'src/app.ts line 1 imports formatRule from src/rules.ts, which exports only Rule, parseRule, default' },
      { path: 'src/app.ts', line: 2, kind: 'missing-symbol', target: 'secret', message: 'src/app.ts line 2 imports secret from src/rules.ts, which defines secret but does not export it' },
      {
        path: 'src/app.ts',
        line: 3,
        kind: 'missing-module',
        target: './missing',
        message: "src/app.ts line 3 imports './missing', but the project has no src/missing.ts, src/missing.tsx, src/missing.js or src/missing/index.ts",
      },
      { path: 'src/style.ts', line: 1, kind: 'missing-module', target: './missing.css', message: "src/style.ts line 1 imports './missing.css', but the project has no src/missing.css" },
    ]);
  });
});
