import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChatChunk } from '../../../src-main/modelCall/modelCallTypes.ts';
import { createCore } from '../../../src-main/core/createCore.ts';
import { runCli } from '../../../src-main/cli/runCli.ts';
import type { ManagedProvider, ProviderDescriptor } from '../../../src-main/providers/descriptors/ProviderDescriptor.ts';
import { providerDescriptors } from '../../../src-main/providers/descriptors/providerDescriptors.ts';
import type { SecretStore } from '../../../src-main/secrets/SecretStore.ts';
import { configFromDraft, emptyDraft } from '../../../src-renderer/features/providers/providerDraft.ts';
import { formFields, needsKey, takesApiKey, typeInfo } from '../../../src-renderer/features/providers/providerTypeFields.ts';
import type { ProviderTypeInfo } from '../../../src-shared/domain/providerTypeInfo.ts';
import { createBufferIo } from '../../support/bufferIo.ts';
import { coreCaller } from '../../support/coreCaller.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * A fifth provider type, added as a new type is meant to be: one adapter and one descriptor (both
 * defined in this file), passed to the composition root. No other file knows "echo"; the contract's
 * provider types, the CLI's `providers add --type` and the renderer's form must show it anyway.
 */

/** The adapter: answers with the last user message, word by word. */
function createEchoProvider(id: string): ManagedProvider {
  return {
    id,
    type: 'echo',
    listModels: async () => [{ id: 'echo-1', contextLength: 4096 }],
    health: async () => ({ ok: true, detail: 'echo is always there' }),
    async *chat(request): AsyncGenerator<ChatChunk> {
      const last = request.messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
      for (const word of last.split(/(?<= )/)) yield { type: 'text', text: word };
      yield { type: 'usage', inputTokens: 1, outputTokens: 1 };
      yield { type: 'finish', reason: 'stop' };
    },
    capabilities: () => ({ contextLength: 4096, structuredOutput: false, streaming: true }),
  };
}

/** The descriptor: everything the faces and main need to know about the type. */
const echoDescriptor: ProviderDescriptor = {
  type: 'echo',
  label: 'Echo (answers with the question)',
  shortLabel: 'Echo',
  key: 'none',
  defaultHost: 'this machine',
  local: true,
  locationChoice: false,
  localModelFiles: false,
  pricing: 'free',
  errors: 'in-process',
  listsModels: 'server',
  fields: [{ id: 'models', kind: 'models', label: 'Echo voices', required: false, help: 'Any name will do.', placeholder: 'echo-1' }],
  create: async (config) => createEchoProvider(config.id),
};

const withEcho = [...providerDescriptors, echoDescriptor];

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };

describe('a fifth provider type (echo), from one descriptor and one adapter', () => {
  const tempDir = useTempDirs();

  it('appears in the contract (providers.types), is accepted by providers.add and answers through the gateway', async () => {
    const core = createCore({ dataDir: tempDir(), host: 'cli', secrets: noSecrets, env: {}, providerDescriptors: withEcho });
    try {
      const types = await coreCaller(core)<ProviderTypeInfo[]>('providers.types');
      const echo = types.find((info) => info.type === 'echo');
      expect(echo).toMatchObject({ label: 'Echo (answers with the question)', key: 'none', local: true, fields: [{ id: 'models', label: 'Echo voices' }] });
      expect(echo).not.toHaveProperty('create');

      const added = await core.dispatch('providers.add', { config: { id: 'echo', type: 'echo', label: 'Echo', location: 'local', models: ['echo-1'], limits: {}, enabled: true } });
      expect(added).toMatchObject({ ok: true, value: { state: 'healthy', detail: 'echo is always there' } });
      const answer = await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'say this back' }] });
      expect(answer).toMatchObject({ text: 'say this back', target: { providerId: 'echo', model: 'echo-1' } });
      expect(core.gateway.attempts.forRequest(answer.requestId)).toMatchObject([{ providerId: 'echo', outcome: 'ok' }]);
    } finally {
      await core.dispose();
    }
  });

  it('is refused, in words, by a core that was not given its descriptor', async () => {
    const core = createCore({ dataDir: tempDir(), host: 'cli', secrets: noSecrets, env: {} });
    try {
      const types = await coreCaller(core)<ProviderTypeInfo[]>('providers.types');
      expect(types.map((info) => info.type)).toEqual(['llama-cpp', 'ollama', 'openai', 'anthropic']);
      const added = await core.dispatch('providers.add', { config: { id: 'echo', type: 'echo', label: 'Echo', location: 'local', models: [], limits: {}, enabled: true } });
      expect(added).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('"echo" is not a provider type this app knows') } });
    } finally {
      await core.dispose();
    }
  });

  it('is a choice of the CLI: providers add --type echo (help lists it; the provider is added and checked)', async () => {
    const home = tempDir();
    const help = createBufferIo({ env: { SERVICE_CREATOR_HOME: home } });
    expect(await runCli(['providers', 'add', '--help'], help.io, { providerDescriptors: withEcho })).toBe(0);
    expect(help.stdout()).toContain('echo (Echo (answers with the question))');

    const add = createBufferIo({ env: { SERVICE_CREATOR_HOME: home } });
    expect(await runCli(['providers', 'add', '--id', 'my-echo', '--type', 'echo', '--model', 'echo-1'], add.io, { providerDescriptors: withEcho })).toBe(0);
    expect(add.stdout()).toMatch(/Added my-echo \[echo, local\] healthy: echo is always there \| echo-1 \| no key needed/);

    // Without the descriptor the CLI does not offer the type.
    const refused = createBufferIo({ env: { SERVICE_CREATOR_HOME: home } });
    expect(await runCli(['providers', 'add', '--id', 'other', '--type', 'echo'], refused.io)).toBe(1);
    expect(refused.stderr()).toMatch(/argument 'echo' is invalid/);
  });

  it("is in the renderer's form: its type option and its own fields, with the descriptor's words, and a config the core accepts", async () => {
    const core = createCore({ dataDir: tempDir(), host: 'cli', secrets: noSecrets, env: {}, providerDescriptors: withEcho });
    let types: ProviderTypeInfo[];
    try {
      types = await coreCaller(core)<ProviderTypeInfo[]>('providers.types');
    } finally {
      await core.dispose();
    }
    const echo = typeInfo(types, 'echo');
    expect(formFields(echo).map((field) => field.id)).toEqual(['models']);
    expect(takesApiKey(echo)).toBe(false);
    expect(configFromDraft({ ...emptyDraft, type: 'echo', id: 'e', models: 'echo-1' }, echo)).toMatchObject({ type: 'echo', location: 'local', models: ['echo-1'] });
    expect(needsKey(echo, { location: 'local' })).toBe(false);

    // The form itself, rendered with the types the core sent: echo is listed; chosen, it shows its
    // own field (and no base URL or key), in the descriptor's words.
    // Rendered on the server side of React (no DOM here), which reads a zustand store's initial
    // state: the types the core sent go there, echo first so that the new form starts on it.
    // The form and its store are DOM code (typed by tsconfig.web.json): loaded at run time, so the
    // Node-side type check does not take in the renderer's window globals.
    const formPath = '../../../src-renderer/features/providers/ProviderForm.tsx';
    const storePath = '../../../src-renderer/features/providers/providersStore.ts';
    const { ProviderForm } = (await import(formPath)) as { ProviderForm: FunctionComponent<{ onClose: () => void }> };
    const { useProvidersStore } = (await import(storePath)) as { useProvidersStore: { getInitialState(): { types: ProviderTypeInfo[] } } };
    Object.assign(useProvidersStore.getInitialState(), { types: [echo as ProviderTypeInfo, ...types.filter((info) => info !== echo)] });
    const html = renderToStaticMarkup(createElement(ProviderForm, { onClose: () => undefined }));
    expect(html).toContain('<option value="echo" selected="">Echo (answers with the question)</option>');
    expect(html).toContain('Echo voices');
    expect(html).toContain('Any name will do.');
    expect(html).toContain('placeholder="echo-1"');
    expect(html).not.toContain('data-testid="provider-base-url"');
    expect(html).not.toContain('API key');
  });
});
