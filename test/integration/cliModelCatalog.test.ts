import { afterEach, describe, expect, it } from 'vitest';
import { catalogViewSchema } from '../../src-shared/domain/modelCatalog.ts';
import { runBin } from '../support/cliProcess.ts';
import { startGgufHeaderServer, type GgufHeaderServer } from '../support/fakes/ggufHeaderServer.ts';
import { catalogue70bFile, catalogue7bFile, laptop16, llama70bShapedHeader, llama7bShapedHeader } from '../support/catalogHeaders.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

const temp = useTempDirs();
let server: GgufHeaderServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('service-creator models catalog', () => {
  it('prints the catalogue with fit for the overridden 16 GB laptop, from headers on loopback (text and --json)', async () => {
    server = await startGgufHeaderServer({ [catalogue7bFile]: llama7bShapedHeader(), [catalogue70bFile]: llama70bShapedHeader() });
    const env = { SERVICE_CREATOR_HOME: temp(), SC_HARDWARE_OVERRIDE: JSON.stringify(laptop16), HF_ENDPOINT: server.endpoint };

    const json = await runBin(['--json', 'models', 'catalog'], env, 60_000);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const line = JSON.parse(json.stdout.trim().split('\n').at(-1) ?? '{}') as { catalog?: unknown };
    const view = catalogViewSchema.parse(line.catalog);
    expect(view.hardware).toMatchObject({ ramBytes: laptop16.ramBytes, gpu: false, source: 'override' });
    expect(view.entries.find((e) => e.file.uri === `hf:${catalogue7bFile}`)?.fit).toMatchObject({ verdict: 'cpu', source: 'gguf-header' });
    expect(view.entries.find((e) => e.file.uri === `hf:${catalogue70bFile}`)?.fit).toMatchObject({ verdict: 'too-big', source: 'gguf-header' });

    const text = await runBin(['models', 'catalog'], env, 60_000);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('This machine: 16.0 GiB of memory');
    expect(text.stdout).toMatch(/runs on CPU, slower\s+Qwen2\.5-Coder 7B Instruct Q4_K_M/);
    expect(text.stdout).toMatch(/too big\s+Llama 3\.3 70B Instruct Q4_K_M/);
    expect(text.stdout).toMatch(/\d+ of \d+ fits were estimated offline from the catalogue: the file's header could not be read/);
    expect(text.stdout).toMatch(/Download the recommended one: service-creator models pull hf:/);
  });
});
