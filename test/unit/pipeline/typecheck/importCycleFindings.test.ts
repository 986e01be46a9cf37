import { describe, expect, it } from 'vitest';
import { importCycleFindings } from '../../../../src-main/pipeline/typecheck/importCycleFindings.ts';

const contents = new Map([
  ['app/service.py', 'from app.models import Rule\nfrom app.validation import normalize_action\n'],
  ['app/validation.py', '"""Checks."""\nfrom .service import RuleService\n'],
  ['app/models.py', 'class Rule: ...\n'],
]);

describe('importCycleFindings', () => {
  it('puts the cycle on every project file in it, at its import of the next, with the same words whichever file pyright reported', () => {
    const fromService = importCycleFindings('Cycle detected in import chain\n  app/service.py\n  app/validation.py', contents);
    const text = 'import cycle: app/service.py → app/validation.py → app/service.py';
    expect(fromService.map(({ path, line }) => `${path}:${line}`)).toEqual(['app/service.py:2', 'app/validation.py:2']);
    for (const finding of fromService) expect(finding.message).toMatch(new RegExp(`^${text}: .*break the cycle`));
    expect(importCycleFindings('Cycle detected in import chain\n  app/validation.py\n  app/service.py', contents)).toEqual(fromService);
  });

  it('ignores paths outside the project (typeshed) and a message with no chain', () => {
    expect(importCycleFindings('Cycle detected in import chain\n  /usr/lib/typeshed/x.pyi', contents)).toEqual([]);
    expect(importCycleFindings('Cycle detected in import chain', contents)).toEqual([]);
  });
});
