import { describe, expect, it } from 'vitest';
import { defaultSettings, settingsPatchSchema } from '../../../src-shared/domain/settings.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { SettingsRepository } from '../../../src-main/store/SettingsRepository.ts';

describe('SettingsRepository', () => {
  it('returns defaults on an empty store', () => {
    expect(new SettingsRepository(openDatabase(':memory:')).get()).toEqual(defaultSettings);
  });

  it('stores a patch and keeps the other keys', () => {
    const settings = new SettingsRepository(openDatabase(':memory:'));
    settings.set({ theme: 'dark' });
    expect(settings.set({ privacyMode: 'local-first' })).toEqual({ ...defaultSettings, theme: 'dark', privacyMode: 'local-first' });
  });

  it('falls back to the default for a stored value this version does not accept, and keeps the row', () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO settings VALUES ('theme', '\"sepia\"'), ('fromTheFuture', '1')").run();
    expect(new SettingsRepository(db).get()).toEqual(defaultSettings);
    expect(db.prepare("SELECT count(*) FROM settings WHERE key IN ('theme', 'fromTheFuture')").pluck().get()).toBe(2);
  });

  it('keeps telemetry off unless it has an http(s) address without credentials, and never with prompts', () => {
    const settings = new SettingsRepository(openDatabase(':memory:'));
    expect(settings.get().telemetry).toEqual({ enabled: false, endpoint: '', includePrompts: false });
    expect(settings.set({ telemetry: { enabled: true, endpoint: ' http://localhost:4318 ', includePrompts: false } }).telemetry).toEqual({ enabled: true, endpoint: 'http://localhost:4318', includePrompts: false });
    const accepted = (telemetry: unknown) => settingsPatchSchema.safeParse({ telemetry }).success;
    expect(accepted({ enabled: true, endpoint: '' })).toBe(false);
    expect(accepted({ enabled: true, endpoint: 'ftp://collector.example' })).toBe(false);
    expect(accepted({ enabled: true, endpoint: 'https://user:secret@collector.example' })).toBe(false);
    // A key in the query would be stored, printed by settings get and info, and sent with every span.
    expect(accepted({ enabled: true, endpoint: 'https://collector.example/v1/traces?api_key=sk-in-the-query-0123456789' })).toBe(false);
    expect(accepted({ enabled: true, endpoint: 'https://collector.example/?token=abc123' })).toBe(false);
    // No query at all: a collector's address needs none, and a token under any name would be kept with it.
    expect(accepted({ enabled: true, endpoint: 'https://collector.example/?tenant=acme' })).toBe(false);
    expect(accepted({ enabled: true, endpoint: 'https://collector.example:4318' })).toBe(true);
    expect(accepted({ enabled: true, endpoint: 'https://collector.example', includePrompts: true })).toBe(false);
    expect(accepted({ enabled: false, endpoint: '' })).toBe(true);
    // A row written by hand that turns it on without an address reads as off.
    const db = openDatabase(':memory:');
    db.prepare(`INSERT INTO settings VALUES ('telemetry', '{"enabled":true,"endpoint":""}')`).run();
    expect(new SettingsRepository(db).get().telemetry.enabled).toBe(false);
  });
});
