import { defaultSettings } from '../../../src-shared/domain/settings.ts';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src-shared/AppError.ts';
import { createDispatch } from '../../../src-main/core/createDispatch.ts';
import { errorSentence } from '../../../src-renderer/ui/errorText.ts';
import { createCore } from '../../../src-main/core/createCore.ts';
import type { Handlers } from '../../../src-main/core/Handlers.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

describe('createDispatch', () => {
  const tempDir = useTempDirs();
  const core = () => createCore({ dataDir: tempDir(), host: 'cli' });

  it.each(['nope', 'projects', 'projects.', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 42, null])(
    'answers UNKNOWN_CHANNEL for %j',
    async (channel) => {
      const result = await core().dispatch(channel as string, undefined);
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNKNOWN_CHANNEL', retryable: false }) });
    },
  );

  it.each([
    ['projects.create', undefined, 'expected object'],
    ['projects.create', { name: '' }, 'name: A project name cannot be empty'],
    ['projects.create', { name: '   ' }, 'name: A project name cannot be empty'],
    ['projects.create', { name: 'x'.repeat(101) }, 'at most 100 characters'],
    ['projects.create', { name: 'a\u0000b' }, 'control characters'],
    ['projects.create', { name: 'ok', admin: true }, 'Unrecognized key'],
    ['projects.create', { name: 7 }, 'name'],
    ['projects.rename', { id: 'not-a-uuid', name: 'x' }, 'id: A project id is a UUID'],
    ['app.info', { unexpected: 1 }, 'takes no input'],
    ['settings.set', {}, 'at least one setting'],
    ['settings.set', { theme: 'sepia' }, 'theme'],
  ])('rejects %s input %j with INVALID_INPUT naming the problem', async (channel, input, fragment) => {
    const result = await core().dispatch(channel, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    expect(result.error.message).toContain(channel);
    expect(result.error.message).toContain(fragment);
  });

  it('INVALID_INPUT carries each issue (path, kind, bounds) for a face to word, and the GUI says it with labels', async () => {
    const tooLong = await core().dispatch('projects.create', { name: 'x'.repeat(101) });
    if (tooLong.ok) throw new Error('expected a refusal');
    expect(tooLong.error.issues).toEqual([expect.objectContaining({ path: ['name'], code: 'too_big', maximum: 100, origin: 'string' })]);
    expect(errorSentence(tooLong.error)).toBe('Name can have at most 100 characters.');
    const empty = await core().dispatch('providers.add', { config: { id: 'p1', type: 'openai', label: '', location: 'local', baseUrl: 'not a url', models: [] } });
    if (empty.ok) throw new Error('expected a refusal');
    const sentence = errorSentence(empty.error);
    expect(sentence).toContain('Base URL must be a web address');
    expect(sentence).not.toMatch(/config\.|Too small|Invalid input|providers\.add/);
  });

  it('refuses a project name holding a key (key-shaped, or a key in use), on create and rename, without repeating it', async () => {
    const c = core();
    const shaped = 'Billing sk-proj-Abcdefghij0123456789KLMNOPqrst';
    const created = await c.dispatch('projects.create', { name: shaped });
    expect(created).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('cannot hold an API key') } });
    expect(JSON.stringify(created)).not.toContain('Abcdefghij0123456789');
    const kept = await c.dispatch('projects.create', { name: 'Billing' });
    if (!kept.ok) throw new Error('expected the project');
    expect(await c.dispatch('projects.rename', { id: (kept.value as { id: string }).id, name: shaped })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await c.dispatch('projects.list', undefined)).toMatchObject({ ok: true, value: [expect.objectContaining({ name: 'Billing' })] });
  });

  it('trims names before they are stored', async () => {
    const result = await core().dispatch('projects.create', { name: '  Edge Router  ' });
    expect(result).toMatchObject({ ok: true, value: { name: 'Edge Router' } });
  });

  it('passes typed errors through with their code', async () => {
    const c = core();
    await c.dispatch('projects.create', { name: 'A' });
    expect(await c.dispatch('projects.create', { name: 'a' })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'A project named "A" already exists', retryable: false },
    });
  });

  it('turns a bug into INTERNAL, reports it, and keeps answering', async () => {
    const onInternalError = vi.fn();
    const handlers = {
      'projects.list': () => {
        throw new TypeError('boom');
      },
      'app.info': () => {
        throw new AppError('NOT_FOUND', 'typed');
      },
    } as unknown as Handlers;
    const dispatch = createDispatch(handlers, { onInternalError });
    expect(await dispatch('projects.list', undefined)).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Internal error in projects.list: boom', retryable: false },
    });
    expect(onInternalError).toHaveBeenCalledWith('projects.list', expect.any(TypeError));
    expect(await dispatch('app.info', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(onInternalError).toHaveBeenCalledTimes(1);
  });

  it('a result that breaks the contract (a row edited by hand) is INTERNAL in words; its issues go to the report, not the message', async () => {
    const onInternalError = vi.fn();
    const handlers = { 'projects.list': () => [{ id: '00000000-0000-4000-8000-000000000001', name: 'x', createdAt: 'not a date', updatedAt: '2026-01-01T00:00:00.000Z' }] } as unknown as Handlers;
    const result = await createDispatch(handlers, { onInternalError })('projects.list', undefined);
    expect(result).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Internal error in projects.list: what it read does not have the form the app expects (data changed outside the app, or a bug)', retryable: false },
    });
    expect(onInternalError).toHaveBeenCalledWith('projects.list', expect.objectContaining({ name: 'ZodError', message: expect.stringContaining('createdAt') }));
  });

  it('strips fields a handler returns that the contract does not declare', async () => {
    const handlers = {
      'projects.get': () => ({
        id: '00000000-0000-4000-8000-000000000001',
        name: 'x',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        apiKey: 'sk-secret',
      }),
    } as unknown as Handlers;
    const result = await createDispatch(handlers)('projects.get', { id: '00000000-0000-4000-8000-000000000001' });
    expect(JSON.stringify(result)).not.toContain('sk-secret');
  });

  it('emits events for changes', async () => {
    const c = core();
    const seen: unknown[] = [];
    c.bus.subscribe((event, payload) => seen.push([event, payload]));
    const created = await c.dispatch('projects.create', { name: 'P' });
    if (!created.ok) throw new Error('create failed');
    const id = (created.value as { id: string }).id;
    await c.dispatch('projects.rename', { id, name: 'Q' });
    await c.dispatch('projects.delete', { id });
    await c.dispatch('settings.set', { theme: 'light' });
    expect(seen).toEqual([
      ['projects.changed', { kind: 'created', id }],
      ['projects.changed', { kind: 'renamed', id }],
      ['projects.changed', { kind: 'deleted', id }],
      ['settings.changed', { ...defaultSettings, theme: 'light', privacyMode: 'local-only' }],
    ]);
  });

  it('reports what leaves the machine: nothing', async () => {
    expect(await core().dispatch('app.info', undefined)).toMatchObject({ ok: true, value: { networkUse: [], host: 'cli' } });
  });
});
