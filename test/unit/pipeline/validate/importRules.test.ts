import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../../../../src-main/pipeline/validate/checkConsistency.ts';
import { languageOfPath } from '../../../../src-main/pipeline/validate/languageOfPath.ts';

async function messages(files: Record<string, string>) {
  const list = Object.entries(files).map(([path, content]) => ({ path, language: languageOfPath(path), content }));
  return (await checkConsistency(list)).map((finding) => `${finding.kind} ${finding.message}`);
}

describe('checkConsistency: guarded imports', () => {
  const base = { 'app/__init__.py': '', 'app/store.py': 'class MemoryStore: ...\n' };

  it('accepts an optional third-party import and a guarded project import with a working fallback import', async () => {
    const main = 'try:\n    import orjson\nexcept ImportError:\n    orjson = None\n\ntry:\n    from app.redis_store import RedisStore as Store\nexcept ImportError:\n    from app.store import MemoryStore as Store\n';
    expect(await messages({ ...base, 'app/main.py': main })).toEqual([]);
  });

  it('reports a guarded project import whose handler binds a placeholder', async () => {
    const main = 'try:\n    from app.cache import Cache\nexcept ImportError:\n    Cache = None\n\ntry:\n    from app.store import RedisStore\nexcept ImportError:\n    RedisStore = None\n';
    expect(await messages({ ...base, 'app/main.py': main })).toEqual([
      'missing-module app/main.py line 2 imports app.cache, but the project has no app/cache.py or app/cache/__init__.py; it sits in try/except ImportError, but the handler binds no working replacement, so the code would run with a placeholder',
      'missing-symbol app/main.py line 7 imports RedisStore from app/store.py, which defines only MemoryStore; it sits in try/except ImportError, but the handler binds no working replacement, so the code would run with a placeholder',
    ]);
  });

  it('reports a fallback import that cannot work', async () => {
    const main = 'try:\n    from app.redis_store import RedisStore as Store\nexcept ImportError:\n    from app.store import MemStore as Store\n';
    expect(await messages({ ...base, 'app/main.py': main })).toEqual(['missing-symbol app/main.py line 4 imports MemStore from app/store.py, which defines only MemoryStore']);
  });
});

describe('checkConsistency: relative imports only inside packages', () => {
  const app = { 'app/__init__.py': '', 'app/models.py': 'class Rule: ...\n', 'app/routes.py': 'from .models import Rule\nfrom . import models\n' };

  it('reports a relative import in a test folder without __init__.py (pytest imports the test as a top-level module)', async () => {
    const files = { ...app, 'tests/helpers.py': 'def make_rule(): ...\n', 'tests/test_rules.py': 'from .helpers import make_rule\n' };
    expect(await messages(files)).toEqual([
      'relative-import tests/test_rules.py line 1 uses the relative import `from .helpers import ...`, but tests/ has no __init__.py, so pytest imports tests/test_rules.py as the top-level module `test_rules` and the import fails with "attempted relative import with no known parent package"; write `from helpers import ...` (pytest puts tests/ on sys.path)',
    ]);
  });

  it('accepts valid layouts: tests as a package, rootdir-style absolute imports, namespace packages, importlib mode', async () => {
    expect(await messages({ ...app, 'tests/__init__.py': '', 'tests/helpers.py': 'def make_rule(): ...\n', 'tests/test_rules.py': 'from .helpers import make_rule\n' })).toEqual([]);
    expect(await messages({ ...app, 'tests/helpers.py': 'def make_rule(): ...\n', 'tests/test_rules.py': 'from helpers import make_rule\nfrom app.models import Rule\n' })).toEqual([]);
    expect(await messages({ 'svc/models.py': 'class Rule: ...\n', 'svc/routes.py': 'from .models import Rule\n', 'tests/test_routes.py': 'from svc.routes import Rule\n' })).toEqual([]);
    const importlib = { ...app, 'pyproject.toml': '[tool.pytest.ini_options]\naddopts = "--import-mode=importlib"\n', 'tests/helpers.py': 'x = 1\n', 'tests/test_rules.py': 'from .helpers import x\n' };
    expect(await messages(importlib)).toEqual([]);
  });

  it('reports relative imports in a top-level module and above the top-level package', async () => {
    const files = { ...app, 'models.py': 'class Rule: ...\n', 'main.py': 'from .models import Rule\n', 'app/views.py': 'from ..models import Rule\n' };
    expect(await messages(files)).toEqual([
      'relative-import app/views.py line 1 uses the relative import `from ..models import ...`, which climbs 2 levels from `app`, above the top-level package `app`, so it fails with "attempted relative import beyond top-level package"',
      'relative-import main.py line 1 uses the relative import `from .models import ...`, but main.py is a top-level module (not inside a package), so the import fails with "attempted relative import with no known parent package"; import `models` by its absolute name',
    ]);
  });
});
