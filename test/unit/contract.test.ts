import { describe, expect, it } from 'vitest';
import { apiChannels, buildApi } from '../../src-shared/buildApi.ts';
import { channelNames, contract, eventNames, events } from '../../src-shared/contract.ts';

describe('contract', () => {
  it('names every channel area.verb and every event area.event', () => {
    for (const name of [...channelNames, ...eventNames]) expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
  });

  it('gives every channel an input and an output schema', () => {
    for (const spec of Object.values(contract)) {
      expect(typeof spec.input.safeParse).toBe('function');
      expect(typeof spec.output.safeParse).toBe('function');
    }
    for (const schema of Object.values(events)) expect(typeof schema.safeParse).toBe('function');
  });

  it('builds one named function per channel and nothing else', async () => {
    const calls: unknown[] = [];
    const api = buildApi(
      async (channel, input) => {
        calls.push([channel, input]);
        return { ok: true, value: null };
      },
      () => () => undefined,
    );
    expect(apiChannels(api)).toEqual([...channelNames].sort());
    await api.projects.create({ name: 'x' });
    await api.app.info();
    expect(calls).toEqual([
      ['projects.create', { name: 'x' }],
      ['app.info', undefined],
    ]);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('refuses to subscribe to an event the contract does not name', () => {
    const api = buildApi(async () => ({ ok: true, value: null }), () => () => undefined);
    expect(() => api.on('nope.event' as never, () => undefined)).toThrow(/Unknown event/);
  });
});
