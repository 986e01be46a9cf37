import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/AppError.ts';
import { keychainServiceName, maxSecretBytes, validateAccount, validateSecret } from '../../../src-main/secrets/SecretStore.ts';

function invalid(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INVALID_INPUT');
    return error as AppError;
  }
  throw new Error('expected an INVALID_INPUT AppError');
}

describe('keychain constants', () => {
  it('files entries under the service-creator service', () => {
    expect(keychainServiceName).toBe('service-creator');
  });
});

describe('validateAccount', () => {
  it.each(['openai-main', 'a', '0', 'anthropic.work_2', 'x'.repeat(100)])('accepts %s', (account) => {
    expect(validateAccount(account)).toBe(account);
  });

  it.each([
    ['', /must not be empty/],
    ['x'.repeat(101), /at most 100 characters/],
    ['OpenAI', /lowercase letters/],
    ['-leading-dash', /starting with a letter or digit/],
    ['.hidden', /starting with a letter or digit/],
    ['has space', /lowercase letters/],
    ['a/b', /lowercase letters/],
  ])('rejects %j naming the rule', (account, rule) => {
    expect(invalid(() => validateAccount(account)).message).toMatch(rule);
  });

  it('rejects non-strings', () => {
    expect(invalid(() => validateAccount(42)).message).toMatch(/must be a string/);
    expect(invalid(() => validateAccount(undefined)).message).toMatch(/must be a string/);
  });

  it('never echoes a rejected account (it may be a secret passed in the wrong argument)', () => {
    const secretLike = 'sk-Proj-ABCdef1234567890';
    const error = invalid(() => validateAccount(secretLike));
    expect(error.message).not.toContain(secretLike);
    expect(JSON.stringify(error)).not.toContain(secretLike);
  });
});

describe('validateSecret', () => {
  it('accepts a typical key, unicode, and exactly 16 KiB', () => {
    expect(validateSecret('sk-abc123')).toBe('sk-abc123');
    expect(validateSecret('clé-🔑-鍵')).toBe('clé-🔑-鍵');
    expect(validateSecret('k'.repeat(maxSecretBytes))).toHaveLength(16_384);
  });

  it('rejects an empty secret', () => {
    expect(invalid(() => validateSecret('')).message).toMatch(/must not be empty/);
  });

  it('rejects more than 16 KiB, counting UTF-8 bytes, and names the limit', () => {
    expect(invalid(() => validateSecret('k'.repeat(maxSecretBytes + 1))).message).toMatch(/at most 16384 bytes \(16 KiB\)/);
    // 5462 three-byte characters: 5462 code units, 16386 bytes.
    expect(invalid(() => validateSecret('鍵'.repeat(5462))).message).toMatch(/16 KiB/);
  });

  it('rejects NUL characters', () => {
    expect(invalid(() => validateSecret('sk-abc\u0000def')).message).toMatch(/NUL/);
  });

  it('rejects non-strings', () => {
    expect(invalid(() => validateSecret(null)).message).toMatch(/must be a string/);
  });

  it('never echoes the secret', () => {
    for (const secret of [`sk-nul-secret-123\u0000x`, `sk-long-secret-${'z'.repeat(maxSecretBytes)}`]) {
      const error = invalid(() => validateSecret(secret));
      expect(error.message).not.toContain('sk-');
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain('secret-');
    }
  });
});
