import { afterAll, describe, expect, it } from 'vitest';
import { projectCheckProblems } from '../../src-main/pipeline/typecheck/projectCheckProblems.ts';
import { disposeProjectChecker } from '../../src-main/pipeline/typecheck/projectChecker.ts';
import type { SourceFile } from '../../src-main/pipeline/PipelineContext.ts';
import { knownSecrets } from '../../src-main/secrets/knownSecrets.ts';

/**
 * The project check's findings quote model-written code; before they are stored, shown or put into
 * a fix prompt they never carry the user's own key, and each is bounded. Real pyright.
 */
describe('project check findings, as the pipeline stores them', () => {
  afterAll(() => disposeProjectChecker());

  it('never carries a key the app holds, even when the code names it, and every message stays bounded', async () => {
    const secret = 'Zq7RkP2mWx9TfL4nVb8HcJ3d';
    knownSecrets.add(secret);
    try {
      const longName = `very_${'long_'.repeat(600)}name`;
      const files: SourceFile[] = [
        { path: 'requirements.txt', language: 'text', content: 'fastapi\n' },
        { path: 'app/__init__.py', language: 'python', content: '' },
        { path: 'app/main.py', language: 'python', content: `value = ${secret}_token\nother = ${longName}\n` },
      ];
      const problems = await projectCheckProblems(files, { pending: [], signal: new AbortController().signal, runId: 'bounded-test' });
      const text = problems.map((problem) => problem.message).join('\n');
      expect(problems.length).toBeGreaterThanOrEqual(2);
      expect(text).not.toContain(secret);
      expect(text).toContain('[redacted]');
      for (const problem of problems) expect(problem.message.length).toBeLessThan(2200);
      // pyright itself shortens a long name (to about 600 characters); our cap is the bound for any longer message.
      expect(text).toContain('very_long_long');
    } finally {
      knownSecrets.clear();
    }
  }, 60_000);
});
