import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { isLoopbackUrl } from '../../../src-shared/domain/loopbackUrl.ts';
import { describeProviderStatus, type ProviderFacts } from '../../../src-main/providers/describeProviderStatus.ts';
import { ProviderRegistry } from '../../../src-main/providers/descriptors/ProviderRegistry.ts';
import { providerDescriptors } from '../../../src-main/providers/descriptors/providerDescriptors.ts';
import { locationFor, typeInfo } from '../../../src-renderer/features/providers/providerTypeFields.ts';

const registry = new ProviderRegistry(providerDescriptors);

describe('where a provider runs', () => {
  it('loopback is 127.0.0.0/8, ::1 and localhost, in any spelling the URL parser normalises; nothing else is', () => {
    for (const url of ['http://127.0.0.1:1234/v1', 'http://127.1:8080', 'http://127.255.0.9/v1', 'http://[::1]:8000/v1', 'http://localhost:11434', 'http://LOCALHOST:1/v1', 'http://lm.localhost/v1', 'http://0x7f.0.0.1/']) {
      expect(isLoopbackUrl(url), url).toBe(true);
    }
    for (const url of ['http://10.0.0.5:8000/v1', 'http://192.168.1.20:1234', 'http://127.0.0.1.nip.io/v1', 'http://localhost.example.com', 'https://api.openai.com/v1', 'http://[::2]/', 'not a url', '']) {
      expect(isLoopbackUrl(url), url).toBe(false);
    }
    expect(isLoopbackUrl(undefined)).toBe(false);
  });

  it('an OpenAI-compatible server is local on loopback and cloud elsewhere unless marked; other types keep their own answer', () => {
    expect(registry.location({ type: 'openai', baseUrl: 'http://127.0.0.1:1234/v1' })).toBe('local');
    expect(registry.location({ type: 'openai', baseUrl: 'http://10.0.0.5:8000/v1' })).toBe('cloud');
    expect(registry.location({ type: 'openai' })).toBe('cloud');
    expect(registry.location({ type: 'openai', baseUrl: 'http://10.0.0.5:8000/v1' }, 'local')).toBe('local');
    expect(registry.location({ type: 'openai', baseUrl: 'http://127.0.0.1:1234/v1' }, 'cloud')).toBe('cloud');
    expect(registry.location({ type: 'anthropic', baseUrl: 'http://127.0.0.1:9/' }, 'local')).toBe('cloud');
    expect(registry.location({ type: 'ollama' })).toBe('local');
    // The form follows the same rule: the box follows the address until the user ticks or unticks it.
    const openai = typeInfo(registry.infos(), 'openai');
    expect(locationFor(openai, undefined, 'http://localhost:1234/v1')).toBe('local');
    expect(locationFor(openai, undefined, 'http://gpu-box:8000/v1')).toBe('cloud');
    expect(locationFor(openai, true, 'http://gpu-box:8000/v1')).toBe('local');
    expect(locationFor(openai, false, 'http://127.0.0.1:1234/v1')).toBe('cloud');
  });

  it('an Ollama server elsewhere than this machine is cloud until marked, as an OpenAI-compatible one is; on this machine it is local', () => {
    expect(registry.location({ type: 'ollama' })).toBe('local');
    expect(registry.location({ type: 'ollama', baseUrl: 'http://localhost:11434' })).toBe('local');
    expect(registry.location({ type: 'ollama', baseUrl: 'http://10.0.0.5:11434' })).toBe('cloud');
    expect(registry.location({ type: 'ollama', baseUrl: 'https://ollama.example.com' })).toBe('cloud');
    expect(registry.location({ type: 'ollama', baseUrl: 'http://10.0.0.5:11434' }, 'local')).toBe('local');
    expect(registry.location({ type: 'ollama', baseUrl: 'http://127.0.0.1:11434' }, 'cloud')).toBe('cloud');
    expect(registry.location({ type: 'llama-cpp' }, 'cloud')).toBe('local');
    // The form: the box follows the address (the default one when the field is empty) until ticked or unticked.
    const ollama = typeInfo(registry.infos(), 'ollama');
    expect(ollama?.fields.map((field) => field.id)).toContain('local');
    expect(locationFor(ollama, undefined, '')).toBe('local');
    expect(locationFor(ollama, undefined, 'http://gpu-box:11434')).toBe('cloud');
    expect(locationFor(ollama, true, 'http://gpu-box:11434')).toBe('local');
    expect(locationFor(typeInfo(registry.infos(), 'openai'), undefined, '')).toBe('cloud');
  });
});

describe('a provider that can serve no task is "not usable", never healthy', () => {
  const config = (patch: Partial<ProviderConfig>): ProviderConfig => ({ id: 'p', type: 'openai', label: 'P', location: 'local', models: [], limits: {}, enabled: true, ...patch });
  const facts = (patch: Partial<ProviderConfig>, health: ProviderFacts['health']): ProviderFacts => {
    const c = config(patch);
    return { config: c, needsKey: false, envVar: undefined, host: 'h', key: undefined, health, breakers: [], keyRejected: false, mayContact: true, listsModels: registry.listsModels(c.type) };
  };
  const at = '2026-01-01T00:00:00.000Z';

  it('says why: the server lists none, Ollama has none, a cloud provider has none named; and which listed model a local one uses', () => {
    expect(describeProviderStatus(facts({}, { result: { ok: true, detail: '0 models', models: [] }, at }))).toMatchObject({
      state: 'not-usable',
      detail: 'the server lists no models: load one in the server, or name one in Models',
    });
    expect(describeProviderStatus(facts({ type: 'ollama' }, { result: { ok: true, detail: 'Ollama 0.9.1, 0 models', models: [] }, at }))).toMatchObject({
      state: 'not-usable',
      detail: 'Ollama has no models yet: pull one',
    });
    expect(describeProviderStatus(facts({ location: 'cloud' }, { result: { ok: true, detail: '3 models', models: ['a', 'b', 'c'] }, at }))).toMatchObject({
      state: 'not-usable',
      detail: 'no model named: add the one to use in Models (the server lists 3)',
    });
    expect(describeProviderStatus(facts({}, { result: { ok: true, detail: '2 models', models: ['qwen', 'llama'] }, at }))).toMatchObject({
      state: 'healthy',
      detail: '2 models; uses what the server lists: qwen (first of 2)',
    });
    expect(describeProviderStatus(facts({ models: ['m1'] }, { result: { ok: true, detail: '0 models', models: [] }, at })).state).toBe('healthy');
    expect(describeProviderStatus(facts({ type: 'llama-cpp' }, { result: { ok: false, code: 'no-models', detail: 'no .gguf models in /m' }, at }))).toMatchObject({
      state: 'not-usable',
      detail: 'no .gguf models in /m',
    });
  });
});
