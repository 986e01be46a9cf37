import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateFile } from '../../../src-main/pipeline/generateFile.ts';
import { defaultPipelineLimits, type PipelineContext } from '../../../src-main/pipeline/PipelineContext.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { PipelineRepository } from '../../../src-main/store/PipelineRepository.ts';
import { ProjectRepository } from '../../../src-main/store/ProjectRepository.ts';
import { maxFileChars, type PlanFile } from '../../../src-shared/pipeline/plan.ts';
import type { PipelineEvent } from '../../../src-shared/pipeline/pipelineTypes.ts';
import type { FinishReason, RouteRequest, RouteResult } from '../../../src-main/modelCall/modelCallTypes.ts';

/**
 * A model's bad answers for one file (issue 5): prose instead of code, truncated output, a file
 * over the size limit. Each becomes an `output` problem naming the file, is stored as a version,
 * goes into the fix prompt, and leaves the file failed (so it is never exported as done).
 */
const promptsDir = fileURLToPath(new URL('../../../resources/prompts/', import.meta.url));
const main: PlanFile = { path: 'app/main.py', purpose: 'HTTP API', language: 'python', kind: 'source', dependsOn: [], exports: ['app'] };
const tests: PlanFile = { path: 'tests/test_main.py', purpose: 'tests', language: 'python', kind: 'test', dependsOn: ['app/main.py'], exports: [] };
const good = 'from fastapi import FastAPI\n\napp = FastAPI()\n';

type Answer = string | { text: string; finishReason: FinishReason };

function setup(answers: Answer[]) {
  const db = openDatabase(':memory:');
  const projectId = new ProjectRepository(db).create('Shop').id;
  const runs = new PipelineRepository(db);
  const run = runs.createRun(projectId, { specVersion: 2, name: 'Shop' }, 1);
  runs.setPlan(run.id, { files: [main, tests], install: '', test: 'pytest -q' });
  const requests: RouteRequest[] = [];
  const events: PipelineEvent[] = [];
  const chat = async (request: RouteRequest): Promise<RouteResult> => {
    requests.push(request);
    const answer = answers[requests.length - 1];
    if (answer === undefined) throw new Error(`unexpected model call ${requests.length}`);
    const { text, finishReason } = typeof answer === 'string' ? { text: answer, finishReason: 'stop' as const } : answer;
    return { requestId: `r${requests.length}`, text, target: { providerId: 'local', model: 'm' }, finishReason, inputTokens: 10, outputTokens: 10, attempts: [] };
  };
  const context: PipelineContext = {
    runs,
    chat,
    contextWindow: () => 8192,
    promptsDir,
    validators: { validateFile: async () => ({ problems: [] }), checkConsistency: () => [], exportedSignatures: () => '' },
    emit: (event) => events.push(event),
    limits: { ...defaultPipelineLimits, maxFixAttempts: 1 },
  };
  const generate = () => generateFile(context, { runId: run.id, spec: { specVersion: 2, name: 'Shop' }, plan: [main, tests], file: main, read: () => undefined, signal: new AbortController().signal });
  return { runs, runId: run.id, requests, events, generate };
}

const prose = [
  "I'm sorry, but I cannot write this file without knowing which endpoints the service needs.",
  'Could you describe the requests and responses of each endpoint in a little more detail?',
  'Once I have that, I will write the complete application module for you right away.',
].join('\n');

describe('generateFile with bad model output', () => {
  it.each([
    ['prose instead of code', prose, 'is prose, not python code'],
    ['output cut off at the token limit', { text: `\`\`\`python\n${good}`, finishReason: 'length' as const }, 'was cut off at the token limit (truncated)'],
    ['a fence that never closes', `\`\`\`python\n${good}def handler(`, 'opens a code fence that never closes (truncated output)'],
    ['an empty answer', '', 'has no file content'],
  ])('%s: the problem names the file, goes into the fix prompt, and a good fix is kept', async (_case, bad, expected) => {
    const { runs, runId, requests, generate } = setup([bad, good]);
    const outcome = await generate();
    expect(outcome).toEqual({ status: 'done', content: good, problems: [] });
    expect(requests.map((request) => request.task)).toEqual(['code', 'fix']);
    expect(requests[1]?.messages.at(-1)?.content).toContain(`the answer for app/main.py ${expected}`);
    const versions = runs.versions(runId, 'app/main.py');
    expect(versions.map((version) => [version.reason, version.problems.map((problem) => [problem.path, problem.rule])])).toEqual([
      ['generate', [['app/main.py', 'output']]],
      ['fix', []],
    ]);
    expect(versions[0]?.problems[0]?.message).toContain(expected);
  });

  it('a model that keeps answering with prose leaves the file failed, with no content for its dependents', async () => {
    const { runs, runId, events, generate } = setup([prose, prose]);
    const outcome = await generate();
    expect(outcome.status).toBe('failed');
    expect(outcome.content).toBeUndefined();
    expect(outcome.problems).toEqual([{ path: 'app/main.py', rule: 'output', message: 'the answer for app/main.py is prose, not python code' }]);
    expect(runs.files(runId)[0]?.attempts).toBe(2);
    // The raw answers are kept as versions, so the user can see what the model said.
    expect(runs.versions(runId, 'app/main.py').map((version) => version.content)).toEqual([prose, prose]);
    expect(events.filter((event) => event.kind === 'validation')).toEqual([{ runId, kind: 'validation', path: 'app/main.py', problems: outcome.problems }]);
  });

  it('a file over the size limit is refused with its size, not validated, and never echoed into a fix prompt', async () => {
    const huge = `${good}${'# padding\n'.repeat(maxFileChars / 10 + 1)}`;
    const { requests, generate } = setup([huge, huge]);
    const outcome = await generate();
    expect(outcome.status).toBe('failed');
    expect(outcome.problems).toEqual([{ path: 'app/main.py', rule: 'output', message: `the file has ${huge.length.toLocaleString('en-US')} characters; at most 200,000` }]);
    // Asking again with 200,000 characters of it would overflow an 8,192-token window.
    expect(requests).toHaveLength(1);
    expect(requests[0]?.maxChars).toBeGreaterThanOrEqual(maxFileChars);
  });

  it('an answer stopped at the size cap says the file is too long (not truncated, not "context too small"), without a fix', async () => {
    const { requests, generate } = setup([{ text: good.repeat(10), finishReason: 'too-long' }]);
    const outcome = await generate();
    expect(outcome.status).toBe('failed');
    expect(outcome.problems[0]?.message).toBe('the file has more than 202,000 characters (the answer was stopped there); at most 200,000: it needs a shorter file or a split into several files');
    expect(requests).toHaveLength(1);
  });
});
