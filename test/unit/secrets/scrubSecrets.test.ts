import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { knownSecrets } from '../../../src-main/secrets/knownSecrets.ts';
import { scrubKnownSecrets, scrubKnownSecretsDeep, scrubSecrets } from '../../../src-main/secrets/scrubSecrets.ts';

/** A key without any recognisable prefix: only the known-secrets layer can find it. */
const gatewayKey = `gw${randomBytes(20).toString('hex')}`;

afterEach(() => knownSecrets.clear());

describe('scrubSecrets: the known keys', () => {
  it('removes a known key quoted in full, URL-encoded, JSON-escaped, truncated or with the middle elided', () => {
    const odd = `Ab+/=${randomBytes(12).toString('base64url')}"x`;
    const texts = [
      `401 Incorrect API key provided: ${gatewayKey}. You can find your API key at https://example.com.`,
      `GET /v1/models?k=${encodeURIComponent(odd)} failed`,
      `{"error":"bad credential ${JSON.stringify(odd).slice(1, -1)}"}`,
      `key ${gatewayKey.slice(0, 20)} is not valid`,
      `key ${gatewayKey.slice(0, 10)}...${gatewayKey.slice(-18)} is not valid`,
    ];
    for (const text of texts) {
      const out = scrubSecrets(text, [gatewayKey, odd]);
      expect(out).toContain('[redacted]');
      expect(out).not.toContain(gatewayKey.slice(0, 16));
      expect(out).not.toContain(gatewayKey.slice(-16));
      expect(out).not.toContain(odd.slice(5, 21));
    }
    expect(scrubSecrets(texts[0] ?? '', [gatewayKey])).toBe(
      '401 Incorrect API key provided: [redacted]. You can find your API key at https://example.com.',
    );
  });

  it('uses the process registry by default, fed where keys are resolved', () => {
    expect(scrubSecrets(`denied for ${gatewayKey}`)).toContain(gatewayKey);
    knownSecrets.add(gatewayKey);
    expect(scrubSecrets(`denied for ${gatewayKey}`)).toBe('denied for [redacted]');
    knownSecrets.add('short');
    expect(knownSecrets.size).toBe(1);
  });

  it('scrubKnownSecretsDeep scrubs every string of a result and leaves other values as they are', () => {
    const value = { a: [`x ${gatewayKey} y`, 3, null], b: { c: 'plain' }, d: true };
    const out = scrubKnownSecretsDeep(value, [gatewayKey]);
    expect(out).toEqual({ a: ['x [redacted] y', 3, null], b: { c: 'plain' }, d: true });
    const untouched = { a: 'plain' };
    expect(scrubKnownSecretsDeep(untouched, [gatewayKey])).toBe(untouched);
  });

  it('the known-secrets layer alone leaves credential-shaped content (generated code) alone', () => {
    const code = 'const example = "sk-example-000000000000000000000000";';
    expect(scrubKnownSecrets(code, [gatewayKey])).toBe(code);
  });
});

describe('scrubSecrets: key-shaped strings', () => {
  const cases: [string, string][] = [
    ['Incorrect API key provided: sk-proj-AbCdEf0123456789AbCdEf0123456789', 'sk-proj-AbCdEf'],
    ['invalid x-api-key sk-ant-api03-abcdefghijklmnop_qrstuv-1234', 'sk-ant-api03'],
    ['Authorization: Bearer abcdef0123456789ABCDEF', 'abcdef0123456789'],
    ['headers: {"authorization":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlX2hlcmU"}', 'eyJhbGciOiJIUzI1NiJ9'],
    ['x-api-key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0', '9f8e7d6c5b4a'],
    ['GET https://host/v1/models?api_key=ABCdef123456&x=1 failed', 'ABCdef123456'],
    ['GET https://generativelanguage.googleapis.com/v1/models?key=AIzaSyA1234567890abcdefghijklmnopqrstuv', 'AIzaSyA1234567890'],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789 expired', 'ghp_abcdefghij'],
    ['slack said xoxb-123456789012-abcdefghijklmn', 'xoxb-1234567'],
    ['hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345 is gated', 'hf_AbCdEfGh'],
    ['aws AKIAIOSFODNN7EXAMPLE denied', 'AKIAIOSFODNN7EXAMPLE'],
    ['secret: Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA', 'Zm9vYmFyYmF6'],
    ['the password was Xy7pQ2rS9tU4vW1z', 'Xy7pQ2rS9tU4vW1z'],
    ['telemetry on {"endpoint":"https://team:c0llect0rT0ken@otel.example:4318"}', 'c0llect0rT0ken'],
    ['fetch failed for http://admin:pa55w0rd-x@10.0.0.5:8080/v1/chat', 'pa55w0rd-x'],
    // A server's JSON echoing a key it was given: the quote closing the field's name comes before the colon.
    ['{"error":{"message":"invalid","api_key":"Zqx8Lm3Rt7Vb2Nw9Kp4Hs6Dj1Fg5"}}', 'Zqx8Lm3Rt7Vb2Nw9'],
    ["config {'apiKey': 'Qw3Er5Ty7Ui9Op1As2Df4'}", 'Qw3Er5Ty7Ui9Op1A'],
    ['{"client_secret" : "Mn8Bv6Cx4Zl2Kj0Hg9Fd7S"}', 'Mn8Bv6Cx4Zl2Kj0H'],
    // The word as the end of a snake_case name: an environment dump, a config echoed back.
    ['spawn failed with OPENAI_API_KEY=Pl0kIjUh7YgTf6RdEs5WaQ', 'Pl0kIjUh7YgTf6Rd'],
    ['{"refresh_token": "Rt4Yu6Io8Pa1Sd3Fg5Hj7K"}', 'Rt4Yu6Io8Pa1Sd3F'],
    ['DB_PASSWORD=Lk9Jh7Gf5Ds3Aq1Wz2Xc4V', 'Lk9Jh7Gf5Ds3Aq1W'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----', 'MIIEabc'],
  ];
  it.each(cases)('%s', (text, leaked) => {
    const out = scrubSecrets(text, []);
    expect(out).not.toContain(leaked);
    expect(out).toContain('[redacted]');
  });

  it('leaves ordinary error text alone', () => {
    const texts = [
      'request (2245 tokens) exceeds the available context size (2048 tokens)',
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 9100 tokens.",
      'model gpt-4o-mini-2024-07-18 not found; max_tokens: 4096',
      'connect ECONNREFUSED 127.0.0.1:11434',
      'No API key: add one, or set OPENAI_API_KEY',
      'the key was rejected (401); enter a new one',
    ];
    for (const text of texts) expect(scrubSecrets(text, [])).toBe(text);
  });

  it('is linear on hostile input (no catastrophic backtracking)', () => {
    const hostile = `key${' '.repeat(100_000)}x ${'Bearer '.repeat(10_000)} ${'a'.repeat(100_000)}`;
    const started = performance.now();
    scrubSecrets(hostile, [gatewayKey]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
