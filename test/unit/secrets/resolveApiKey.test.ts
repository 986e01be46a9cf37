import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/AppError.ts';
import { KeychainUnavailableError } from '../../../src-main/secrets/KeychainUnavailableError.ts';
import { keyStatus, resolveApiKey } from '../../../src-main/secrets/resolveApiKey.ts';
import { ollamaDescriptor } from '../../../src-main/providers/descriptors/ollamaDescriptor.ts';
import { openaiDescriptor } from '../../../src-main/providers/descriptors/openaiDescriptor.ts';
import { anthropicDescriptor } from '../../../src-main/providers/descriptors/anthropicDescriptor.ts';
import type { SecretStore } from '../../../src-main/secrets/SecretStore.ts';

function memoryStore(initial: Record<string, string> = {}): SecretStore & { reads: string[] } {
  const items = new Map(Object.entries(initial));
  const reads: string[] = [];
  return {
    backend: 'memory',
    reads,
    get: async (account) => {
      reads.push(account);
      return items.get(account);
    },
    set: async (account, secret) => {
      items.set(account, secret);
    },
    delete: async (account) => items.delete(account),
    has: async (account) => items.has(account),
  };
}

function unavailableStore(error: Error = new KeychainUnavailableError({ reason: 'no-service', platform: 'linux' })): SecretStore {
  const fail = async (): Promise<never> => {
    throw error;
  };
  return { backend: 'broken', get: fail, set: fail, delete: fail, has: fail };
}

// The conventional variable comes from each type's descriptor.
const openai = { providerId: 'openai-main', defaultEnv: openaiDescriptor.envVar } as const;
const anthropic = { providerId: 'anthropic-main', defaultEnv: anthropicDescriptor.envVar } as const;

describe('resolveApiKey precedence', () => {
  it('1. an explicit apiKeyEnv wins over the keychain and the default variable', async () => {
    const store = memoryStore({ 'openai-main': 'sk-keychain' });
    const env = { MY_OPENAI_KEY: 'sk-explicit', OPENAI_API_KEY: 'sk-default' };
    expect(await resolveApiKey({ ...openai, apiKeyEnv: 'MY_OPENAI_KEY' }, store, env)).toEqual({ key: 'sk-explicit', source: 'env', envVar: 'MY_OPENAI_KEY' });
    expect(store.reads).toEqual([]);
  });

  it('2. the keychain wins over the default variable', async () => {
    const store = memoryStore({ 'openai-main': 'sk-keychain' });
    expect(await resolveApiKey(openai, store, { OPENAI_API_KEY: 'sk-default' })).toEqual({ key: 'sk-keychain', source: 'keychain' });
  });

  it('2. the keychain is used when apiKeyEnv names an unset or blank variable', async () => {
    const store = memoryStore({ 'openai-main': 'sk-keychain' });
    expect(await resolveApiKey({ ...openai, apiKeyEnv: 'MY_OPENAI_KEY' }, store, {})).toEqual({ key: 'sk-keychain', source: 'keychain' });
    expect(await resolveApiKey({ ...openai, apiKeyEnv: 'MY_OPENAI_KEY' }, store, { MY_OPENAI_KEY: '  ' })).toEqual({ key: 'sk-keychain', source: 'keychain' });
  });

  it('3. the default variable for the type is the last resort', async () => {
    expect(await resolveApiKey(openai, memoryStore(), { OPENAI_API_KEY: 'sk-default' })).toEqual({ key: 'sk-default', source: 'env', envVar: 'OPENAI_API_KEY' });
    expect(await resolveApiKey(anthropic, memoryStore(), { ANTHROPIC_API_KEY: 'sk-ant-default', OPENAI_API_KEY: 'sk-wrong' })).toEqual({
      key: 'sk-ant-default',
      source: 'env',
      envVar: 'ANTHROPIC_API_KEY',
    });
  });

  it('does not read the other type\'s variable', async () => {
    expect(await resolveApiKey(anthropic, memoryStore(), { OPENAI_API_KEY: 'sk-openai' })).toBeUndefined();
  });

  it('local providers have no default variable but may use the keychain or apiKeyEnv', async () => {
    expect(ollamaDescriptor.envVar).toBeUndefined();
    const ollama = { providerId: 'ollama-remote', defaultEnv: ollamaDescriptor.envVar } as const;
    expect(await resolveApiKey(ollama, memoryStore(), { OPENAI_API_KEY: 'sk-x' })).toBeUndefined();
    expect(await resolveApiKey(ollama, memoryStore({ 'ollama-remote': 'tok' }), {})).toEqual({ key: 'tok', source: 'keychain' });
    expect(await resolveApiKey({ ...ollama, apiKeyEnv: 'OLLAMA_TOKEN' }, memoryStore(), { OLLAMA_TOKEN: 'tok2' })).toMatchObject({ key: 'tok2', source: 'env' });
  });

  it('trims whitespace around environment values (a key pasted with a newline)', async () => {
    expect(await resolveApiKey(openai, memoryStore(), { OPENAI_API_KEY: ' sk-default\n' })).toMatchObject({ key: 'sk-default' });
  });

  it('returns undefined when nothing is configured', async () => {
    expect(await resolveApiKey(openai, memoryStore(), {})).toBeUndefined();
  });

  it('never writes the environment', async () => {
    const env: Record<string, string | undefined> = { OPENAI_API_KEY: 'sk-default' };
    const frozen = Object.freeze({ ...env });
    await resolveApiKey(openai, memoryStore({ 'openai-main': 'sk-keychain' }), frozen);
    expect(frozen).toEqual(env);
  });
});

describe('resolveApiKey without a keychain (headless)', () => {
  it('falls back to the default variable when the keychain is unavailable', async () => {
    expect(await resolveApiKey(openai, unavailableStore(), { OPENAI_API_KEY: 'sk-default' })).toEqual({ key: 'sk-default', source: 'env', envVar: 'OPENAI_API_KEY' });
  });

  it('an explicit apiKeyEnv never touches the keychain', async () => {
    expect(await resolveApiKey({ ...openai, apiKeyEnv: 'K' }, unavailableStore(), { K: 'sk-k' })).toMatchObject({ source: 'env' });
  });

  it('rethrows KeychainUnavailableError when no variable is set either (its message says what to do)', async () => {
    await expect(resolveApiKey(openai, unavailableStore(), {})).rejects.toBeInstanceOf(KeychainUnavailableError);
  });

  it('rethrows other errors even when a variable is set', async () => {
    const store = unavailableStore(new AppError('INVALID_INPUT', 'A keychain account uses only lowercase letters.'));
    await expect(resolveApiKey(openai, store, { OPENAI_API_KEY: 'sk-default' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('keyStatus', () => {
  it('reports only configured and source, never the key', async () => {
    const fromKeychain = await keyStatus(openai, memoryStore({ 'openai-main': 'sk-keychain-secret' }), {});
    expect(fromKeychain).toStrictEqual({ configured: true, source: 'keychain' });
    expect(JSON.stringify(fromKeychain)).not.toContain('sk-');

    const fromEnv = await keyStatus(openai, memoryStore(), { OPENAI_API_KEY: 'sk-env-secret' });
    expect(fromEnv).toStrictEqual({ configured: true, source: 'env' });
    expect(JSON.stringify(fromEnv)).not.toContain('sk-');

    expect(await keyStatus(openai, memoryStore(), {})).toStrictEqual({ configured: false, source: null });
  });

  it('follows the same precedence as resolveApiKey', async () => {
    const store = memoryStore({ 'openai-main': 'sk-keychain' });
    expect(await keyStatus({ ...openai, apiKeyEnv: 'K' }, store, { K: 'sk-k' })).toStrictEqual({ configured: true, source: 'env' });
    expect(await keyStatus(openai, store, { OPENAI_API_KEY: 'sk-default' })).toStrictEqual({ configured: true, source: 'keychain' });
    expect(await keyStatus(openai, unavailableStore(), { OPENAI_API_KEY: 'sk-default' })).toStrictEqual({ configured: true, source: 'env' });
  });

  it('surfaces an unavailable keychain instead of claiming "not configured"', async () => {
    await expect(keyStatus(openai, unavailableStore(), {})).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
  });
});
