import { describe, expect, it } from 'vitest';
import { migratedTo } from '../../../support/migratedTo.ts';

describe('migration 0010-ollama-location', () => {

  it('an Ollama provider at another machine becomes cloud; one on this machine or at the default address, and other types, stay as they were', () => {
    const db = migratedTo(9);
    const add = db.prepare('INSERT INTO providers (id, position, config) VALUES (?, ?, ?)');
    const ollama = (id: string, baseUrl?: string) => JSON.stringify({ id, type: 'ollama', label: id, location: 'local', ...(baseUrl === undefined ? {} : { baseUrl }), models: [], limits: {}, enabled: true });
    add.run('gpu-box', 0, ollama('gpu-box', 'http://10.0.0.5:11434'));
    add.run('named', 1, ollama('named', 'https://ollama.example.com'));
    add.run('here', 2, ollama('here', 'http://localhost:11434'));
    add.run('loopback', 3, ollama('loopback', 'http://127.0.0.1:11434'));
    add.run('default', 4, ollama('default'));
    add.run('lan-openai', 5, JSON.stringify({ id: 'lan-openai', type: 'openai', label: 'x', location: 'local', baseUrl: 'http://10.0.0.6:8000/v1', models: [], limits: {}, enabled: true }));
    migratedTo(10, db);
    const locations = Object.fromEntries((db.prepare("SELECT id, json_extract(config, '$.location') AS location FROM providers").all() as { id: string; location: string }[]).map((row) => [row.id, row.location]));
    // The OpenAI-compatible one was marked local by its user (that type always offered the choice).
    expect(locations).toEqual({ 'gpu-box': 'cloud', named: 'cloud', here: 'local', loopback: 'local', default: 'local', 'lan-openai': 'local' });
    // Nothing else of the configuration changed.
    expect(JSON.parse((db.prepare("SELECT config FROM providers WHERE id = 'gpu-box'").get() as { config: string }).config)).toEqual({ ...JSON.parse(ollama('gpu-box', 'http://10.0.0.5:11434')), location: 'cloud' });
  });
});
