import { describe, expect, it } from 'vitest';
import { validateFile } from '../../../../src-main/pipeline/validate/validateFile.ts';
import { projectOf } from './projectOf.ts';

async function importProblems(path: string, content: string, files: Record<string, string> = {}) {
  const { problems } = await validateFile({ path, language: 'python', content }, projectOf(files));
  return problems.filter((problem) => problem.rule === 'import');
}

describe('validateFile: Python imports', () => {
  it('accepts the standard library', async () => {
    expect(await importProblems('app/util.py', 'from __future__ import annotations\nimport os, sys\nimport os.path\nfrom collections import defaultdict\nimport tomllib\nimport asyncio as aio\n')).toEqual([]);
  });

  it('accepts project modules, packages, namespace folders and the src layout', async () => {
    const files = {
      'app/__init__.py': '',
      'app/models.py': 'class Rule: ...\n',
      'lib/helpers.py': 'def h(): ...\n',
      'src/engine/__init__.py': '',
      'config.py': 'X = 1\n',
    };
    expect(await importProblems('app/main.py', 'import config\nfrom app.models import Rule\nimport app\nfrom lib import helpers\nfrom lib.helpers import h\nimport engine\n', files)).toEqual([]);
  });

  it('resolves relative imports against the file folder', async () => {
    const files = { 'app/__init__.py': '', 'app/models.py': '', 'app/api/__init__.py': '' };
    expect(await importProblems('app/api/routes.py', 'from ..models import Rule\nfrom . import deps\nfrom .. import models\n', files)).toEqual([]);
    expect(await importProblems('app/api/routes.py', 'from .schemas import RuleIn\n', files)).toEqual([
      { path: 'app/api/routes.py', rule: 'import', line: 1, message: 'line 1: imports `.schemas` relative to app/api/, but the project has no app/api/schemas.py or app/api/schemas/__init__.py' },
    ]);
  });

  it('accepts packages declared in requirements.txt, with distribution→import name mapping', async () => {
    const files = { 'requirements.txt': '# deps\nfastapi==0.110.0\nPyYAML>=6\nbeautifulsoup4\npython-dateutil ; python_version>"3"\nuvicorn[standard]\n-r requirements-dev.txt\n', 'requirements-dev.txt': 'pytest\n' };
    const content = 'import yaml\nimport bs4\nfrom dateutil import parser\nfrom fastapi import FastAPI\nfrom starlette.requests import Request\nimport uvicorn\nimport pytest\nimport websockets\n';
    expect(await importProblems('app/main.py', content, files)).toEqual([]);
  });

  it('accepts packages declared in pyproject.toml (PEP 621 and Poetry)', async () => {
    const pep621 = { 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["pyyaml>=6", "Pillow"]\n[project.optional-dependencies]\ntest = ["pytest>=8"]\n' };
    expect(await importProblems('app/main.py', 'import yaml\nfrom PIL import Image\nimport pytest\n', pep621)).toEqual([]);
    const poetry = { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\nscikit-learn = "*"\n[tool.poetry.group.dev.dependencies]\npytest = "*"\n' };
    expect(await importProblems('tests/test_model.py', 'import sklearn\nimport pytest\n', poetry)).toEqual([]);
  });

  it('reports an undeclared package, naming where it looked', async () => {
    const problems = await importProblems('app/client.py', 'import json\nimport requests\n', { 'requirements.txt': 'fastapi\n', 'app/__init__.py': '' });
    expect(problems).toEqual([
      {
        path: 'app/client.py',
        rule: 'import',
        line: 2,
        message:
          'line 2: imports `requests`, which is not in the Python standard library, not a project module (looked for requests.py, requests/__init__.py, requests/ in the project root, src/), and it is not declared in requirements.txt (declared: fastapi)',
      },
    ]);
  });

  it('says when the project declares no dependencies at all', async () => {
    const problems = await importProblems('main.py', 'import requests\n');
    expect(problems[0]?.message).toContain('the project declares no dependencies (no requirements.txt or pyproject.toml)');
  });

  it('counts pytest only when declared, but conftest and test helpers are project modules', async () => {
    const files = { 'tests/conftest.py': 'import pytest\n', 'tests/helpers.py': 'def make_rule(): ...\n' };
    const problems = await importProblems('tests/test_rules.py', 'import pytest\nfrom conftest import client\nfrom helpers import make_rule\n', files);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^line 1: imports `pytest`/);
  });

  it('tells a package module to import its sibling relatively', async () => {
    const problems = await importProblems('app/routes.py', 'from models import Rule\n', { 'app/__init__.py': '', 'app/models.py': 'class Rule: ...\n' });
    expect(problems[0]?.message).toBe('line 1: imports `models` as a top-level module, but app/models.py sits in the package app/; import it as `.models` or `app.models`');
  });

  it('skips optional imports guarded by except ImportError, and reports each module once', async () => {
    const content = 'try:\n    import ujson as json\nexcept ImportError:\n    import json\n\nimport requests\n\n\ndef f():\n    import requests\n';
    const problems = await importProblems('main.py', content, { 'requirements.txt': 'fastapi\n' });
    expect(problems.map((problem) => problem.line)).toEqual([6]);
  });
});
