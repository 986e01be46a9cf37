import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src-shared/domain/settings.ts';
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
    expect(db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(2);
  });
});
