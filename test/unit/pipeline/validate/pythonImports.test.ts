import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../../../../src-main/pipeline/validate/checkConsistency.ts';
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

  it('leaves an undeclared package to the cross-file check: the manifest may be written later, or be the file to fix', async () => {
    expect(await importProblems('app/client.py', 'import json\nimport requests\n', { 'requirements.txt': 'fastapi\n', 'app/__init__.py': '' })).toEqual([]);
    expect(await importProblems('main.py', 'import requests\n')).toEqual([]);
  });

  it('tells a package module to import its sibling relatively', async () => {
    const problems = await importProblems('app/routes.py', 'from models import Rule\n', { 'app/__init__.py': '', 'app/models.py': 'class Rule: ...\n' });
    expect(problems[0]?.message).toBe('line 1: imports `models` as a top-level module, but app/models.py sits in the package app/; import it as `.models` or `app.models`');
  });
});

describe('checkConsistency: undeclared third-party imports', () => {
  const python = (path: string, content: string) => ({ path, language: 'python' as const, content });
  const text = (path: string, content: string) => ({ path, language: 'text' as const, content });

  it('blames both the manifest (add the distribution) and the importing file (declare it or do without)', async () => {
    const files = [text('requirements.txt', 'fastapi\n'), python('app/__init__.py', ''), python('app/main.py', 'import json\nimport uvicorn\nimport yaml\n')];
    const found = (await checkConsistency(files)).filter((finding) => finding.kind === 'undeclared-package');
    expect(found).toEqual([
      { path: 'app/main.py', line: 2, kind: 'undeclared-package', target: 'uvicorn', message: 'app/main.py line 2 imports `uvicorn`, which the project does not declare: declare it in requirements.txt, or use what is declared (fastapi) or the Python standard library instead' },
      { path: 'app/main.py', line: 3, kind: 'undeclared-package', target: 'yaml', message: expect.stringMatching(/^app\/main\.py line 3 imports `yaml`, which the project does not declare/) },
      { path: 'requirements.txt', line: 1, kind: 'undeclared-package', target: 'uvicorn', message: 'requirements.txt does not declare `uvicorn`: add uvicorn (the distribution that provides `uvicorn`) — imported by app/main.py line 2' },
      { path: 'requirements.txt', line: 1, kind: 'undeclared-package', target: 'yaml', message: expect.stringContaining('add pyyaml (the distribution that provides `yaml`)') },
    ]);
  });

  it('goes away when the manifest declares it, and counts pytest only when declared', async () => {
    const main = python('app/main.py', 'import uvicorn\n');
    const test = python('tests/test_rules.py', 'import pytest\nfrom conftest import client\n');
    const conftest = python('tests/conftest.py', 'client = None\n');
    expect(await checkConsistency([text('requirements.txt', 'fastapi\nuvicorn[standard]\npytest\n'), main, test, conftest])).toEqual([]);
    const found = await checkConsistency([text('requirements.txt', 'fastapi\nuvicorn\n'), main, test, conftest]);
    expect(found.map((finding) => `${finding.path}:${finding.target}`)).toEqual(['requirements.txt:pytest', 'tests/test_rules.py:pytest']);
  });

  it('skips guarded imports, reports a module once per file, and says nothing without any manifest', async () => {
    const content = 'try:\n    import ujson as json\nexcept ImportError:\n    import json\n\nimport requests\n\n\ndef f():\n    import requests\n';
    const found = await checkConsistency([text('requirements.txt', 'fastapi\n'), python('main.py', content)]);
    expect(found.map((finding) => `${finding.path}:${finding.line}`)).toEqual(['main.py:6', 'requirements.txt:1']);
    expect(await checkConsistency([python('main.py', content)])).toEqual([]);
  });
});
