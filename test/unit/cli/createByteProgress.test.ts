import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliOutput } from '../../../src-main/cli/CliOutput.ts';
import { createByteProgress, heldLineMs } from '../../../src-main/cli/createProgress.ts';
import { createBufferIo } from '../../support/bufferIo.ts';

/** `--json` byte progress: one line per whole percent, and the latest bytes never lost to that. */
const MiB = 1024 * 1024;

describe('createByteProgress with --json', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function progress() {
    const buffers = createBufferIo();
    const output = new CliOutput(buffers.io, true);
    const bar = createByteProgress(output, buffers.io, 'Downloading');
    const bytes = () => buffers.jsonLines().map((line) => line.downloadedBytes);
    return { bar, bytes };
  }

  it('writes one line per whole percent', () => {
    const { bar, bytes } = progress();
    bar.update(0, 8 * MiB);
    bar.update(1000, 8 * MiB);
    bar.update(MiB, 8 * MiB);
    expect(bytes()).toEqual([0, MiB]);
  });

  it('a line held back by its percent goes out when the transfer then stalls', () => {
    const { bar, bytes } = progress();
    // 2.97 MiB and 3.0 MiB of 8 MiB are both 37 %: the second used to be dropped, and a download
    // stalled there showed 2.97 MiB for as long as it stalled.
    bar.update(Math.round(2.97 * MiB), 8 * MiB);
    bar.update(3 * MiB, 8 * MiB);
    expect(bytes()).toEqual([Math.round(2.97 * MiB)]);
    vi.advanceTimersByTime(heldLineMs);
    expect(bytes()).toEqual([Math.round(2.97 * MiB), 3 * MiB]);
    vi.advanceTimersByTime(10 * heldLineMs);
    expect(bytes()).toHaveLength(2);
  });

  it('the next percent replaces a held line, and done() writes what is still held', () => {
    const { bar, bytes } = progress();
    bar.update(0, 100);
    bar.update(0, 100);
    bar.update(1, 100);
    vi.advanceTimersByTime(heldLineMs);
    expect(bytes()).toEqual([0, 1]);
    bar.update(1, 100);
    bar.done();
    expect(bytes()).toEqual([0, 1, 1]);
    vi.advanceTimersByTime(heldLineMs);
    expect(bytes()).toHaveLength(3);
  });
});
