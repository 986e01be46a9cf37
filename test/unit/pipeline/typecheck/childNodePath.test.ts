import { afterEach, describe, expect, it } from 'vitest';
import { childNodePath } from '../../../../src-main/pipeline/typecheck/childNodePath.ts';
import { ProjectCheckFailed } from '../../../../src-main/pipeline/typecheck/ProjectCheckFailed.ts';

describe('childNodePath', () => {
  const versions = process.versions as Record<string, string | undefined>;
  afterEach(() => {
    delete versions.electron;
  });

  it('is this Node outside Electron', () => {
    expect(childNodePath()).toBe(process.execPath);
  });

  it('inside the desktop app the one-shot fallback says it is unavailable instead of spawning the app binary', () => {
    versions.electron = '45.0.0';
    let failure: unknown;
    try {
      childNodePath();
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ProjectCheckFailed);
    expect((failure as ProjectCheckFailed).reason).toBe('unavailable');
    expect((failure as ProjectCheckFailed).message).toMatch(/does not run in the desktop app/);
  });
});
