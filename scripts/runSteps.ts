import { spawnSync } from 'node:child_process';

export interface Step {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Names of steps that must have passed for this one to run. */
  needs?: string[];
}

export interface StepResult {
  name: string;
  status: 'passed' | 'failed' | 'not run';
  seconds: number;
}

/**
 * Runs steps in order with inherited output. A failed step does not stop independent ones, so one
 * run shows every problem; steps that need a failed one are reported as not run.
 */
export function runSteps(steps: Step[]): StepResult[] {
  const results: StepResult[] = [];
  for (const step of steps) {
    const blocked = step.needs?.find((need) => results.find((r) => r.name === need)?.status !== 'passed');
    if (blocked) {
      process.stdout.write(`\n▶ ${step.name}: not run (needs ${blocked})\n`);
      results.push({ name: step.name, status: 'not run', seconds: 0 });
      continue;
    }
    process.stdout.write(`\n▶ ${step.name}: ${step.command} ${step.args.join(' ')}\n`);
    const started = performance.now();
    const run = spawnSync(step.command, step.args, { stdio: 'inherit', env: { ...process.env, ...step.env } });
    const seconds = (performance.now() - started) / 1000;
    const status = run.status === 0 ? 'passed' : 'failed';
    if (run.error) process.stdout.write(`  could not start: ${run.error.message}\n`);
    results.push({ name: step.name, status, seconds });
  }
  return results;
}
