import { describe, expect, it } from 'vitest';
import { PullProgress } from '../../../src-main/sandbox/PullProgress.ts';

describe('PullProgress', () => {
  it('sums the download of every layer, and a finished layer counts whole', () => {
    const progress = new PullProgress();
    expect(progress.update({ status: 'Pulling from library/node', id: '24-bookworm-slim' })).toEqual({ status: 'Pulling from library/node', current: 0, total: 0, layers: 0, layersDone: 0 });
    progress.update({ status: 'Pulling fs layer', id: 'aaa' });
    progress.update({ status: 'Pulling fs layer', id: 'bbb' });
    expect(progress.update({ status: 'Downloading', id: 'aaa', progressDetail: { current: 100, total: 1000 } })).toMatchObject({ current: 100, total: 1000, layers: 2 });
    expect(progress.update({ status: 'Downloading', id: 'bbb', progressDetail: { current: 50, total: 500 } })).toMatchObject({ status: 'Downloading bbb', current: 150, total: 1500 });
    // The last Downloading message rarely says "all of it": Download complete does.
    expect(progress.update({ status: 'Download complete', id: 'bbb' })).toMatchObject({ current: 600, total: 1500, layersDone: 1 });
  });

  it('does not let extracting restart a layer, and counts layers already there', () => {
    const progress = new PullProgress();
    progress.update({ status: 'Downloading', id: 'aaa', progressDetail: { current: 900, total: 1000 } });
    progress.update({ status: 'Already exists', id: 'ccc' });
    expect(progress.update({ status: 'Extracting', id: 'aaa', progressDetail: { current: 10, total: 1000 } })).toMatchObject({ status: 'Extracting aaa', current: 1000, total: 1000, layers: 2, layersDone: 2 });
    expect(progress.update({ status: 'Pull complete', id: 'aaa' })).toMatchObject({ current: 1000, total: 1000 });
    expect(progress.update({ status: 'Digest: sha256:0123' })).toMatchObject({ status: 'Digest: sha256:0123', current: 1000, layers: 2 });
  });

  it('never counts more than a layer holds, and ignores unsized progress', () => {
    const progress = new PullProgress();
    expect(progress.update({ status: 'Downloading', id: 'aaa', progressDetail: { current: 2000, total: 1000 } })).toMatchObject({ current: 1000, total: 1000 });
    expect(progress.update({ status: 'Downloading', id: 'bbb', progressDetail: {} })).toMatchObject({ current: 1000, total: 1000, layers: 2 });
  });
});
