import { describe, expect, it } from 'vitest';
import { telemetrySchema } from '../../../src-shared/domain/settings.ts';
import { telemetryAddressProblem } from '../../../src-shared/domain/telemetryAddress.ts';

/**
 * The collector's address is printed by the CLI (`settings get`, `settings telemetry`), shown in
 * Settings and written to the log: it can hold nothing that draws lines of its own or carries a
 * credential, and the core (the schema) and the page (the field's own check) say the same.
 */
describe('telemetry collector address', () => {
  const accepted = (endpoint: string) => telemetrySchema.safeParse({ enabled: true, endpoint }).success;

  it('takes an http(s) address with a host, a port and a path', () => {
    for (const endpoint of ['http://localhost:4318', 'https://collector.example/v1/traces', 'http://[::1]:4318/', 'http://127.0.0.1:4318/otlp/v1/traces']) {
      expect(accepted(endpoint), endpoint).toBe(true);
      expect(telemetryAddressProblem(endpoint), endpoint).toBeNull();
    }
  });

  it('refuses another scheme, a user name or password, and text that is no address', () => {
    for (const endpoint of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://collector.example', 'http://user:sk-secret@127.0.0.1:4318', 'http://token@127.0.0.1:4318', 'localhost:4318', 'not an address']) {
      expect(accepted(endpoint), endpoint).toBe(false);
      expect(telemetryAddressProblem(endpoint), endpoint).not.toBeNull();
    }
  });

  it('refuses a line break, a tab, another control character or an invisible one inside it (the URL parser drops them, the stored text kept them and the CLI printed a forged line)', () => {
    for (const endpoint of ['http://127.0.0.1:4318/\nprivacyMode: local-only', 'http://127.0.0.1:4318/v1/tr\races', 'http://127.0.0.1:4318/\tx', 'http://127.0.0.1:4318/\u001b[2Jx', 'http://127.0.0.1:4318/\u0085x', 'http://127.0.0.1:4318/a b', 'http://127.0.0.1:4318/\u202eevil', 'http://127.0.0.1:4318/\u200bx']) {
      expect(accepted(endpoint), JSON.stringify(endpoint)).toBe(false);
      expect(telemetryAddressProblem(endpoint), JSON.stringify(endpoint)).toMatch(/space|control/);
    }
  });

  it('refuses a query or a fragment: a token there would be stored, listed, printed and logged with the address', () => {
    for (const endpoint of ['http://127.0.0.1:4318/v1/traces?api_key=hunter2hunter2', 'http://127.0.0.1:4318/?x', 'http://127.0.0.1:4318/#token=abc']) {
      expect(accepted(endpoint), endpoint).toBe(false);
      expect(telemetryAddressProblem(endpoint), endpoint).toMatch(/\? or #/);
    }
  });
});
