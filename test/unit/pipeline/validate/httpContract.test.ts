import { describe, expect, it } from 'vitest';
import type { PlanFile } from '../../../../src-shared/pipeline/plan.ts';
import { checkConsistency } from '../../../../src-main/pipeline/validate/checkConsistency.ts';
import { languageOfPath } from '../../../../src-main/pipeline/validate/languageOfPath.ts';
import { parsePromisedExport } from '../../../../src-main/pipeline/validate/parsePromisedExport.ts';
import { firewallFiles, firewallPlan } from '../../../support/pipelineProject.ts';

function filesOf(files: Record<string, string>) {
  return Object.entries(files).map(([path, content]) => ({ path, language: languageOfPath(path), content }));
}

function planOf(exports: Record<string, string[]>, tests: string[] = []): PlanFile[] {
  const entries = Object.entries(exports).map(([path, promised]) => ({ path, purpose: 'x', language: languageOfPath(path), kind: 'source' as const, dependsOn: [], exports: promised }));
  return [...entries, ...tests.map((path) => ({ path, purpose: 'tests', language: languageOfPath(path), kind: 'test' as const, dependsOn: [], exports: [] }))];
}

async function messages(files: Record<string, string>, plan: PlanFile[]) {
  return (await checkConsistency(filesOf(files), plan)).map((finding) => `${finding.kind} ${finding.path}:${finding.line} ${finding.message}`);
}

const routes = [
  'from fastapi import APIRouter, HTTPException, status',
  '',
  'router = APIRouter(prefix="/rules")',
  '',
  '',
  '@router.post("", status_code=status.HTTP_201_CREATED)',
  'def create_rule(rule: dict) -> dict:',
  '    return rule',
  '',
  '',
  '@router.get("/{rule_id}")',
  'def get_rule(rule_id: int) -> dict:',
  '    raise HTTPException(status_code=404, detail="rule not found")',
  '',
].join('\n');
const main = 'from fastapi import FastAPI\n\nfrom app import routes\n\napp = FastAPI()\napp.include_router(routes.router, prefix="/api")\n';
const test = [
  'from fastapi.testclient import TestClient',
  '',
  'from app.main import app',
  '',
  'client = TestClient(app)',
  '',
  '',
  'def test_rules():',
  '    response = client.post("/api/rules", json={"name": "r"})',
  '    assert response.status_code == 201',
  '    rule_id = response.json()["id"]',
  '    assert client.get(f"/api/rules/{rule_id}").status_code == 200',
  '',
].join('\n');
const project = { 'app/__init__.py': '', 'app/routes.py': routes, 'app/main.py': main, 'tests/test_rules.py': test };
const plan = planOf({ 'app/routes.py': ['POST /api/rules -> 201 Rule', 'GET /api/rules/{id} -> Rule', 'router: APIRouter'], 'app/main.py': ['app'] }, ['tests/test_rules.py']);

describe('checkConsistency with the plan: routes', () => {
  it('finds nothing wrong in the firewall project', async () => {
    expect(await messages(firewallFiles, firewallPlan.files)).toEqual([]);
  });

  it('follows APIRouter and include_router prefixes; parameters compare by position', async () => {
    expect(await messages(project, plan)).toEqual([]);
  });

  it('reports a promised DELETE served only by a GET on the same path, on the file that should serve it', async () => {
    const promised = planOf({ 'app/routes.py': ['POST /api/rules -> 201 Rule', 'DELETE /api/rules/{id} -> 204'], 'app/main.py': ['app'] });
    expect(await messages(project, promised)).toEqual([
      'route app/routes.py:11 app/routes.py line 11 promises the endpoint `DELETE /api/rules/{id}`, but /api/rules/{} is served only for GET (app/routes.py line 11: GET /{rule_id}); add a DELETE route for it',
    ]);
  });
});

describe('checkConsistency with the plan: statuses and tests', () => {
  it('reports a route answering the default 200 where the plan promises 201, on the route file', async () => {
    const files = { ...project, 'app/routes.py': routes.replace(', status_code=status.HTTP_201_CREATED', '') };
    expect(await messages(files, plan)).toEqual([
      'status app/routes.py:6 app/routes.py line 6 answers with the default status 200 (no status_code= on the route) for `POST /api/rules`, but the plan promises 201',
    ]);
  });

  it('reports a test expecting 200 where the plan promises 201, on the test file', async () => {
    const files = { ...project, 'tests/test_rules.py': test.replace('status_code == 201', 'status_code == 200') };
    expect(await messages(files, plan)).toEqual([
      'test-status tests/test_rules.py:10 tests/test_rules.py line 10 expects status 200 from `POST /api/rules`, but the plan promises 201 for `POST /api/rules` (app/routes.py)',
    ]);
  });

  it('reports a test requesting a route neither the plan nor the app has, unless it expects 404/405', async () => {
    const calling = `${test}\n\ndef test_delete():\n    assert client.delete("/api/rules/1").status_code == 204\n`;
    expect(await messages({ ...project, 'tests/test_rules.py': calling }, plan)).toEqual([
      'test-route tests/test_rules.py:16 tests/test_rules.py line 16 requests `DELETE /api/rules/1`, but the app serves /api/rules/{rule_id} only for GET and the plan promises only GET /api/rules/{id}; test only the promised endpoints',
    ]);
    const probing = `${test}\n\ndef test_delete_not_allowed():\n    response = client.delete("/api/rules/1")\n    assert response.status_code == 405\n`;
    expect(await messages({ ...project, 'tests/test_rules.py': probing }, plan)).toEqual([]);
  });

  it('compares a test with the status a route declares when the plan states none', async () => {
    const quiet = planOf({ 'app/routes.py': ['POST /api/rules -> Rule'], 'app/main.py': ['app'] }, ['tests/test_rules.py']);
    const files = { ...project, 'tests/test_rules.py': test.replace('status_code == 201', 'status_code == 200') };
    expect(await messages(files, quiet)).toEqual([
      'test-status tests/test_rules.py:10 tests/test_rules.py line 10 expects status 200 from `POST /api/rules`, but app/routes.py line 6 declares status_code=201 for it (the plan states no status)',
    ]);
  });
});

describe('checkConsistency with the plan: Flask and Express', () => {
  const flask = {
    'app/__init__.py': 'from flask import Flask\n\nfrom .rules import bp\n\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix="/api")\n',
    'app/rules.py': 'from flask import Blueprint, jsonify\n\nbp = Blueprint("rules", __name__, url_prefix="/rules")\n\n\n@bp.route("/<int:rule_id>", methods=["GET"])\ndef get_rule(rule_id):\n    return jsonify({})\n\n\n@bp.delete("/<int:rule_id>")\ndef delete_rule(rule_id):\n    return "", 204\n',
  };

  it('reads Flask blueprints, url prefixes and methods=[...]', async () => {
    expect(await messages(flask, planOf({ 'app/rules.py': ['GET /api/rules/{id}', 'DELETE /api/rules/{id} -> 204'] }))).toEqual([]);
    expect(await messages(flask, planOf({ 'app/rules.py': ['PUT /api/rules/{id}'] }))).toEqual([
      'route app/rules.py:6 app/rules.py line 6 promises the endpoint `PUT /api/rules/{id}`, but /api/rules/{} is served only for GET, DELETE (app/rules.py line 6: GET /<int:rule_id>); add a PUT route for it',
    ]);
  });

  const express = {
    'src/app.ts': "import express from 'express';\nimport rules from './routes/rules.js';\n\nexport const app = express();\napp.use('/api/rules', rules);\n",
    'src/routes/rules.ts': "import { Router } from 'express';\n\nconst router = Router();\nrouter.get('/:id', (req, res) => res.json({}));\nrouter.route('/').get((req, res) => res.json([])).post((req, res) => res.status(201).json({}));\n\nexport default router;\n",
  };

  it('reads Express routers, app.use prefixes and route chains', async () => {
    expect(await messages(express, planOf({ 'src/routes/rules.ts': ['GET /api/rules/{id}', 'GET /api/rules', 'POST /api/rules -> 201'] }))).toEqual([]);
    expect(await messages(express, planOf({ 'src/routes/rules.ts': ['DELETE /api/rules/:ruleId'] }))).toEqual([
      "route src/routes/rules.ts:4 src/routes/rules.ts line 4 promises the endpoint `DELETE /api/rules/:ruleId`, but /api/rules/{} is served only for GET (src/routes/rules.ts line 4: GET /:id); add a DELETE route for it",
    ]);
  });
});

describe('endpoint promises with a status', () => {
  it.each([
    ['POST /rules -> 201 RuleOut', 201],
    ['DELETE /rules/{id} -> 204', 204],
    ['POST /rules (201 Created) -> RuleOut', 201],
    ['POST /rules -> RuleOut, status_code=201', 201],
    ['GET /rules?limit=200 -> list[Rule]', undefined],
    ['GET /rules -> list[Rule] (max 200 items)', undefined],
  ])('%s', (entry, status) => {
    const promise = parsePromisedExport(entry);
    expect(promise?.kind).toBe('endpoint');
    expect(promise?.kind === 'endpoint' ? promise.status : 'not an endpoint').toBe(status);
  });
});
