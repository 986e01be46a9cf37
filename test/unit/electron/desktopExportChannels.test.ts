import { describe, expect, it } from 'vitest';
import { ok } from '../../../src-shared/envelope.ts';
import type { Dispatch } from '../../../src-main/core/createDispatch.ts';
import { desktopExportChannels } from '../../../src-main/electron/desktopExportChannels.ts';

/** The desktop app's own answers to the picker and "Open folder", over a stand-in core dispatcher. */
describe('desktop export channels', () => {
  const core: Dispatch = async (channel, input) => {
    if (channel === 'pipeline.export') {
      const { outDir, zip } = input as { outDir: string; zip?: boolean };
      return ok({ path: zip ? `${outDir}.zip` : outDir, files: 3, bytes: 10 });
    }
    return ok({ channel });
  };

  function shell() {
    const calls: string[] = [];
    return {
      calls,
      pickFolder: async (defaultPath: string | undefined) => {
        calls.push(`pick ${defaultPath ?? '-'}`);
        return '/home/ana/Work';
      },
      openFolder: async (path: string) => {
        calls.push(`open ${path}`);
        return '';
      },
      showFile: (path: string) => void calls.push(`show ${path}`),
    };
  }

  it('answers the picker itself and passes every other channel to the core', async () => {
    const fake = shell();
    const dispatch = desktopExportChannels(core, fake);
    expect(await dispatch('pipeline.pickExportFolder', { defaultPath: '/home/ana/Documents/Service Creator/Edge' })).toEqual(ok({ available: true, path: '/home/ana/Work' }));
    expect(fake.calls).toEqual(['pick /home/ana/Documents/Service Creator/Edge']);
    expect(await dispatch('projects.list', undefined)).toEqual(ok({ channel: 'projects.list' }));
  });

  it('opens only what this process exported: a folder in the file manager, a zip shown in its folder', async () => {
    const fake = shell();
    const dispatch = desktopExportChannels(core, fake);
    const refused = await dispatch('pipeline.openExportFolder', { path: '/usr/bin' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(fake.calls).toEqual([]);

    await dispatch('pipeline.export', { runId: 'r', outDir: '/home/ana/out/edge' });
    await dispatch('pipeline.export', { runId: 'r', outDir: '/home/ana/out/edge-zip', zip: true });
    expect(await dispatch('pipeline.openExportFolder', { path: '/home/ana/out/edge/' })).toEqual(ok({ available: true }));
    expect(await dispatch('pipeline.openExportFolder', { path: '/home/ana/out/edge-zip.zip' })).toEqual(ok({ available: true }));
    expect(fake.calls).toEqual(['open /home/ana/out/edge', 'show /home/ana/out/edge-zip.zip']);
    // A folder inside an export is not the export.
    expect(await dispatch('pipeline.openExportFolder', { path: '/home/ana/out/edge/app' })).toMatchObject({ ok: false });
  });

  it('says in words when the system could not open the folder', async () => {
    const dispatch = desktopExportChannels(core, { ...shell(), openFolder: async () => 'No application is set to open folders' });
    await dispatch('pipeline.export', { runId: 'r', outDir: '/home/ana/out/edge' });
    expect(await dispatch('pipeline.openExportFolder', { path: '/home/ana/out/edge' })).toMatchObject({
      ok: false,
      error: { code: 'IO_FAILED', message: 'The folder could not be opened: No application is set to open folders' },
    });
  });
});
