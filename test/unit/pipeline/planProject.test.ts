import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serviceSpecSchema } from '../../../src-shared/domain/serviceSpec.ts';
import type { Plan } from '../../../src-shared/pipeline/plan.ts';
import { planProject } from '../../../src-main/pipeline/planProject.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';
import { firewallPlan } from '../../support/pipelineProject.ts';
import { rejection } from '../../support/rejection.ts';
import type { RouteRequest, RouteResult } from '../../../src-main/modelCall/modelCallTypes.ts';

const promptsDir = fileURLToPath(new URL('../../../resources/prompts/', import.meta.url));
const spec = serviceSpecSchema.parse({ ...vFirewallSpec, name: 'Edge firewall' });
const target = { providerId: 'local', model: 'planner' };

/** A `chat` that answers each call with the next scripted text, recording the requests. */
function scriptedChat(answers: (Plan | string)[]) {
  const requests: RouteRequest[] = [];
  const chat = async (request: RouteRequest): Promise<RouteResult> => {
    requests.push(request);
    const answer = answers[requests.length - 1];
    if (answer === undefined) throw new Error(`unexpected call ${requests.length}`);
    const text = typeof answer === 'string' ? answer : JSON.stringify(answer);
    return { requestId: `req-${requests.length}`, text, target, finishReason: 'stop', inputTokens: 100, outputTokens: 50, attempts: [] };
  };
  return { chat, requests };
}

/** The firewall plan with one file's fields replaced (or a file appended when none matches). */
function withFile(path: string, patch: Partial<Plan['files'][number]>): Plan {
  const found = firewallPlan.files.some((file) => file.path === path);
  const files = found
    ? firewallPlan.files.map((file) => (file.path === path ? { ...file, ...patch } : file))
    : [...firewallPlan.files, { path, purpose: 'extra', language: 'python' as const, kind: 'source' as const, dependsOn: [], exports: [], ...patch }];
  return { ...firewallPlan, files };
}


describe('planProject', () => {
  it('returns the checked plan with the prompt version, asking once with the plan schema', async () => {
    const { chat, requests } = scriptedChat([firewallPlan]);
    const planned = await planProject(chat, { spec, promptsDir, contextWindow: 32_768 });
    expect(planned.plan).toEqual(firewallPlan);
    expect(planned.promptVersion).toMatch(/^plan@2#[0-9a-f]{12}$/);
    expect(planned.result.requestId).toBe('req-1');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ task: 'plan', maxTokens: 8192, schema: { name: 'project_plan' } });
    expect(requests[0]?.messages.at(-1)?.content).toContain('"serviceType": "vFirewall"');
  });

  it('gives a small window half its size for the answer', async () => {
    const { chat, requests } = scriptedChat([firewallPlan]);
    await planProject(chat, { spec, promptsDir, contextWindow: 4096 });
    expect(requests[0]?.maxTokens).toBe(2048);
  });

  it('returns normalised paths', async () => {
    const { chat } = scriptedChat([withFile('app/store.py', { path: './app/store.py', dependsOn: ['./app/models.py'] })]);
    const { plan } = await planProject(chat, { spec, promptsDir });
    expect(plan.files.map((file) => file.path)).toContain('app/store.py');
    expect(plan.files.find((file) => file.path === 'app/store.py')?.dependsOn).toEqual(['app/models.py']);
  });

  it('repairs a plan with traversal once, telling the model the exact path and problem', async () => {
    const { chat, requests } = scriptedChat([withFile('../escape.py', {}), firewallPlan]);
    const planned = await planProject(chat, { spec, promptsDir });
    expect(planned.plan).toEqual(firewallPlan);
    expect(planned.result.requestId).toBe('req-2');
    expect(requests).toHaveLength(2);
    expect(requests[1]?.only).toEqual(target);
    expect(requests[1]?.messages.at(-1)?.content).toContain('files: ../escape.py: "../escape.py" leaves the project folder (..)');
  });

  it.each([
    ['an absolute path', withFile('/etc/cron.d/evil', {}), '/etc/cron.d/evil: "/etc/cron.d/evil" is absolute'],
    ['a Windows drive path', withFile('C:\\evil.py', {}), 'is a Windows drive path'],
    ['a UNC path', withFile('\\\\server\\share\\evil.py', {}), 'is a network (UNC) path'],
    ['a reserved name', withFile('app/aux.py', {}), 'app/aux.py: "app/aux.py" uses "aux.py", a name Windows reserves for devices'],
    ['names differing only by case', withFile('APP/Models.py', {}), '"APP/Models.py" and "app/models.py" differ only by case'],
    ['a dependency cycle', withFile('app/models.py', { dependsOn: ['app/main.py'] }), 'dependency cycle: app/models.py -> app/main.py -> app/models.py'],
    ['no tests', { ...firewallPlan, files: firewallPlan.files.filter((file) => file.kind !== 'test') }, 'the plan has no test file'],
  ])('after one failed repair, refuses %s with INVALID_OUTPUT naming the problem', async (_case, bad, expected) => {
    const { chat, requests } = scriptedChat([bad, bad]);
    const error = await rejection(planProject(chat, { spec, promptsDir }));
    expect(error.code).toBe('INVALID_OUTPUT');
    expect(error.message).toContain('local/planner gave an invalid project_plan twice');
    expect(error.message).toContain(expected);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.messages.at(-1)?.content).toContain(expected);
  });

  it('refuses prose instead of a plan after one repair', async () => {
    const prose = 'Sure! I would structure the project with an app folder and a tests folder.';
    const { chat } = scriptedChat([prose, prose]);
    const error = await rejection(planProject(chat, { spec, promptsDir }));
    expect(error.code).toBe('INVALID_OUTPUT');
    expect(error.message).toContain('it is not JSON');
  });

  it('refuses a truncated plan after one repair', async () => {
    const cut = JSON.stringify(firewallPlan).slice(0, 300);
    const { chat } = scriptedChat([cut, cut]);
    const error = await rejection(planProject(chat, { spec, promptsDir }));
    expect(error).toMatchObject({ code: 'INVALID_OUTPUT', message: expect.stringContaining('it is not JSON') });
  });

  it('passes the caller signal through to the model call', async () => {
    const { chat, requests } = scriptedChat([firewallPlan]);
    const controller = new AbortController();
    await planProject(chat, { spec, promptsDir, signal: controller.signal });
    expect(requests[0]?.signal).toBe(controller.signal);
  });
});
