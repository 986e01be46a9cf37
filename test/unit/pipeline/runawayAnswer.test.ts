import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { maxFileChars, type PlanFile } from '../../../src-shared/pipeline/plan.ts';
import { generateFile } from '../../../src-main/pipeline/generateFile.ts';
import { defaultPipelineLimits, type PipelineContext } from '../../../src-main/pipeline/PipelineContext.ts';
import { createOpenAiProvider } from '../../../src-main/providers/openaiProvider.ts';
import { singleTargetRouter } from '../../support/singleTargetRouter.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { PipelineRepository } from '../../../src-main/store/PipelineRepository.ts';
import { ProjectRepository } from '../../../src-main/store/ProjectRepository.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * A model that never stops: a loopback OpenAI-compatible server streams a 50 MB file answer,
 * generated frame by frame as the client reads (never held in memory). The router must stop
 * reading at the file cap and close the request, the store must hold a bounded version, memory
 * must stay flat, and the user must be told the file is too long (not "context too small").
 */
const promptsDir = fileURLToPath(new URL('../../../resources/prompts/', import.meta.url));
const totalChars = 50 * 1024 * 1024;
const frameChars = 64 * 1024;
const tempDir = useTempDirs();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function runawayServer() {
  const seen = { requests: 0, sentChars: 0, closedEarly: false };
  const line = '# the model keeps writing this file and never stops doing so, line after line\n';
  const piece = line.repeat(Math.ceil(frameChars / line.length)).slice(0, frameChars);
  const frame = `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.requests += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.on('close', () => {
        if (!res.writableFinished) seen.closedEarly = true;
      });
      const pump = (): void => {
        while (seen.sentChars < totalChars && !res.destroyed) {
          seen.sentChars += frameChars;
          if (!res.write(frame)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
      };
      pump();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

describe('a runaway file answer', () => {
  it('is stopped at the cap: bounded store and memory, the request closed, and the size named as the problem', async () => {
    const { url, seen } = await runawayServer();
    const provider = createOpenAiProvider({ id: 'local', baseUrl: url, apiKey: undefined, models: ['m'], contextLengths: { m: 8192 } });
    const { router, attempts } = singleTargetRouter(provider, {}, { baseUrl: url });
    const databasePath = join(tempDir(), 'app.db');
    const db = openDatabase(databasePath);
    const runs = new PipelineRepository(db);
    const file: PlanFile = { path: 'app/main.py', purpose: 'HTTP API', language: 'python', kind: 'source', dependsOn: [], exports: ['app'] };
    const run = runs.createRun(new ProjectRepository(db).create('Shop').id, { specVersion: 2, name: 'Shop' }, 1);
    runs.setPlan(run.id, { files: [file], install: '', test: 'pytest -q' });
    const context: PipelineContext = {
      runs,
      chat: (request) => router.chat(request),
      contextWindow: () => 8192,
      promptsDir,
      validators: { validateFile: async () => ({ problems: [] }), checkConsistency: () => [], exportedSignatures: () => '' },
      emit: () => undefined,
      limits: defaultPipelineLimits,
    };

    const rssBefore = process.memoryUsage().rss;
    const outcome = await generateFile(context, { runId: run.id, spec: { specVersion: 2, name: 'Shop' }, plan: [file], file, read: () => undefined, signal: new AbortController().signal });
    const rssGrowth = process.memoryUsage().rss - rssBefore;

    expect(outcome.status).toBe('failed');
    expect(outcome.problems[0]?.message).toContain('the file has more than 202,000 characters');
    expect(outcome.problems[0]?.message).toContain('at most 200,000');
    expect(JSON.stringify(outcome.problems)).not.toContain('context too small');
    // One request, abandoned early: the client closed it long before 50 MB.
    expect(seen.requests).toBe(1);
    await expect.poll(() => seen.closedEarly).toBe(true);
    expect(seen.sentChars).toBeLessThan(totalChars / 4);
    const stored = runs.versions(run.id, file.path).reduce((sum, version) => sum + version.content.length, 0);
    expect(stored).toBeLessThanOrEqual(maxFileChars + 2_000);
    db.close();
    expect(statSync(databasePath).size).toBeLessThan(5 * 1024 * 1024);
    expect(rssGrowth).toBeLessThan(300 * 1024 * 1024);
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['ok']);
  });
});
