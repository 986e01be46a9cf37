import type { Plan } from '../../src-shared/pipeline/plan.ts';

/**
 * A small but real generated project (a FastAPI firewall-rule service with tests) as a scripted
 * model would write it: the plan and each file's final content. Every file passes the real
 * validators (syntax, formatting, imports, promised interface) and the cross-file checks.
 */
export const firewallPlan: Plan = {
  files: [
    { path: 'requirements.txt', purpose: 'Python dependencies', language: 'text', kind: 'config', dependsOn: [], exports: [] },
    { path: 'app/__init__.py', purpose: 'Package marker', language: 'python', kind: 'source', dependsOn: [], exports: [] },
    { path: 'app/models.py', purpose: 'Firewall rule model', language: 'python', kind: 'source', dependsOn: ['requirements.txt'], exports: ['class Rule'] },
    { path: 'app/store.py', purpose: 'In-memory rule store', language: 'python', kind: 'source', dependsOn: ['app/models.py'], exports: ['class RuleStore', 'RuleStore.add', 'RuleStore.list'] },
    { path: 'app/main.py', purpose: 'HTTP API for rules', language: 'python', kind: 'source', dependsOn: ['app/models.py', 'app/store.py'], exports: ['app', 'POST /rules', 'GET /rules'] },
    { path: 'tests/test_store.py', purpose: 'Unit tests of the store', language: 'python', kind: 'test', dependsOn: ['app/store.py', 'app/models.py'], exports: [] },
    { path: 'tests/test_api.py', purpose: 'API tests', language: 'python', kind: 'test', dependsOn: ['app/main.py'], exports: [] },
  ],
  install: 'pip install -r requirements.txt',
  test: 'pytest -q',
};

export const firewallFiles: Record<string, string> = {
  'requirements.txt': 'fastapi>=0.110\npydantic>=2\nhttpx>=0.27\npytest>=8\n',
  'app/__init__.py': '',
  'app/models.py': `from pydantic import BaseModel


class Rule(BaseModel):
    name: str
    source: str
    destination: str
    action: str = "deny"
`,
  'app/store.py': `from app.models import Rule


class RuleStore:
    def __init__(self) -> None:
        self._rules: list[Rule] = []

    def add(self, rule: Rule) -> Rule:
        self._rules.append(rule)
        return rule

    def list(self) -> list[Rule]:
        return list(self._rules)
`,
  'app/main.py': `from fastapi import FastAPI

from app.models import Rule
from app.store import RuleStore

app = FastAPI()
store = RuleStore()


@app.post("/rules")
def create_rule(rule: Rule) -> Rule:
    return store.add(rule)


@app.get("/rules")
def list_rules() -> list[Rule]:
    return store.list()
`,
  'tests/test_store.py': `from app.models import Rule
from app.store import RuleStore


def test_add_and_list():
    store = RuleStore()
    store.add(Rule(name="web", source="any", destination="10.0.0.1", action="allow"))
    assert [rule.name for rule in store.list()] == ["web"]
`,
  'tests/test_api.py': `from fastapi.testclient import TestClient

from app.main import app


def test_create_and_list():
    client = TestClient(app)
    created = client.post("/rules", json={"name": "ssh", "source": "any", "destination": "10.0.0.2"})
    assert created.status_code == 200
    assert client.get("/rules").json()[0]["action"] == "deny"
`,
};

/** app/store.py with a bug its tests catch (list() drops the first rule): the repair loop's red project. */
export const buggyFirewallStore = (firewallFiles['app/store.py'] ?? '').replace('return list(self._rules)', 'return list(self._rules)[1:]');
