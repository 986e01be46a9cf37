// One interview turn end to end on real llama.cpp: the core, the router, the llama.cpp adapter's
// JSON-schema grammar and the turn checks, with a random-weight GGUF written by the fixture
// script. The content is noise; the shape must validate and the turn must be stored.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import { slotIds } from '../../src-shared/interview/interviewSlots.ts';
import type { InterviewState } from '../../src-shared/interview/interviewTypes.ts';
import { writeTinyGguf } from '../fixtures/makeTinyGguf.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

let core: Core;

beforeAll(() => {
  const modelDir = createTempDir('sc-interview-llama-');
  // The interview prompt is ~4k byte-level tokens for this vocabulary: give it room.
  writeTinyGguf(join(modelDir, 'tiny.gguf'), { seed: 11, hyperparameters: { contextLength: 8192 } });
  core = createCore({ dataDir: createTempDir('sc-interview-home-'), host: 'cli', extraModelDirs: [modelDir], env: {} });
});

afterAll(async () => {
  await core.dispose();
  removeTempDirs();
});

describe('interview on llama.cpp with a tiny random model', () => {
  it('gets a grammar-constrained turn that validates and is stored as the pending question', async () => {
    const add = await core.dispatch('providers.add', { config: { id: 'local', type: 'llama-cpp', label: 'Local', location: 'local', models: ['tiny.gguf'] } });
    expect(add.ok).toBe(true);
    const project = await core.dispatch('projects.create', { name: 'Tiny' });
    if (!project.ok) throw new Error(project.error.message);
    const result = await core.dispatch('interview.next', { projectId: (project.value as { id: string }).id });
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    const state = result.value as InterviewState;
    expect(state.pending).not.toBeNull();
    expect(slotIds).toContain(state.pending?.field);
    expect(state.pending).toMatchObject({ providerId: 'local', model: 'tiny.gguf', promptVersion: expect.stringMatching(/^interview@1#[0-9a-f]{12}$/), status: 'pending' });
    expect(state.pending?.question.length).toBeGreaterThan(0);
    const attempts = core.gateway.attempts.recent(10);
    expect(attempts.some((attempt) => attempt.task === 'interview' && attempt.outcome === 'ok' && attempt.providerId === 'local')).toBe(true);
  }, 120_000);
});
