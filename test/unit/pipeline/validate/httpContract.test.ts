import { describe, expect, it } from 'vitest';
import type { PlanFile } from '../../../../src-shared/pipeline/plan.ts';
import { checkConsistency } from '../../../../src-main/pipeline/validate/checkConsistency.ts';
import { languageOfPath } from '../../../../src-main/pipeline/validate/languageOfPath.ts';
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
