import { createReadStream, realpathSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInSandbox } from '../../src-main/sandbox/runInSandbox.ts';
import { pythonImage, testLimits, useSandboxEngine } from './sandboxTestEngine.ts';

const engine = useSandboxEngine();

/**
 * The Node image (`node:24-bookworm-slim`) cannot be pulled on an offline machine, so this test
 * builds a stand-in: the offline Python image plus the Node binary running these tests (a
 * glibc build, which runs on bookworm). Built once per engine and kept; no network needed.
 */
const nodeImage = 'service-creator/sandbox-test-node:dev';

async function ensureNodeImage(docker: Docker): Promise<void> {
  if (await docker.getImage(nodeImage).inspect().then(() => true, () => false)) return;
  const binary = realpathSync(process.execPath);
  const context = tar.pack();
  const dockerfile = `FROM ${pythonImage}\nCOPY node /usr/local/bin/node\n`;
  context.entry({ name: 'Dockerfile', size: Buffer.byteLength(dockerfile) }, dockerfile);
  const entry = context.entry({ name: 'node', size: statSync(binary).size, mode: 0o755 });
  const copied = pipeline(createReadStream(binary), entry as unknown as NodeJS.WritableStream).then(() => context.finalize());
  const output = await docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: nodeImage });
  await copied;
  await new Promise<void>((resolve, reject) => docker.modem.followProgress(output, (error: Error | null) => (error ? reject(error) : resolve())));
}

describe('a node --test project (real engine)', () => {
  beforeAll(async () => ensureNodeImage(engine.docker()), 120_000);

  it('reads the JUnit report of node --test (reporters given through NODE_OPTIONS, so npm test works too) and streams the spec reporter', async () => {
    const result = await runInSandbox(engine.docker(), {
      files: [
        { path: 'src/sum.mjs', content: 'export const sum = (a, b) => a + b;\n' },
        {
          path: 'test/sum.test.mjs',
          content: [
            "import { test, describe, it } from 'node:test';",
            "import assert from 'node:assert/strict';",
            "import { sum } from '../src/sum.mjs';",
            "test('adds', () => assert.equal(sum(1, 2), 3));",
            "describe('edge cases', () => {",
            "  it('adds negatives', () => assert.equal(sum(-1, -2), -3));",
            "  it('is wrong on purpose', () => assert.equal(sum(2, 2), 5, 'expected 5 but got 4'));",
            '});',
            '',
          ].join('\n'),
        },
      ],
      image: nodeImage,
      language: 'node',
      allowNetwork: false,
      test: 'node --test',
      limits: testLimits,
    });
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1, summary: { passed: 2, failed: 1, errors: 0, skipped: 0 } });
    expect(result.cases.map((testCase) => [testCase.name, testCase.status])).toEqual([
      ['test::adds', 'passed'],
      ['edge cases::adds negatives', 'passed'],
      ['edge cases::is wrong on purpose', 'failed'],
    ]);
    expect(result.cases[2]?.message).toContain('expected 5 but got 4');
    expect(result.log).toMatch(/✖ is wrong on purpose/);
  });
});
