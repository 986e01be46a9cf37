import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildContainerScript, sandboxPaths } from '../../../src-main/sandbox/containerScript.ts';

describe('buildContainerScript', () => {
  it('asks pytest for the report through PYTEST_ADDOPTS and puts the project on the import path', () => {
    const { env } = buildContainerScript('pytest -q', 'python', 'test', 'MARK');
    expect(env).toContain(`PYTEST_ADDOPTS=--junitxml=${sandboxPaths.report} -p no:cacheprovider -p service_creator_sandbox_probe`);
    expect(env).toContain(`PYTHONPATH=${sandboxPaths.project}:${sandboxPaths.tools}`);
    expect(env).toContain('SANDBOX_STACKS_INTERVAL=5');
    expect(buildContainerScript('pytest -q', 'python', 'test', 'MARK', { stacksIntervalS: 1.5 }).env).toContain('SANDBOX_STACKS_INTERVAL=1.5');
    expect(env).toContain(`JUNIT_XML=${sandboxPaths.report}`);
    expect(env.some((entry) => entry.startsWith('NODE_OPTIONS='))).toBe(false);
  });

  it('asks node --test for junit (through the probe) into the report and spec on stdout through NODE_OPTIONS', () => {
    const { env } = buildContainerScript('npm test', 'node', 'test', 'MARK');
    expect(env).toContain(
      `NODE_OPTIONS=--test-reporter=${sandboxPaths.tools}/service-creator-probe.mjs --test-reporter-destination=${sandboxPaths.report} --test-reporter=spec --test-reporter-destination=stdout`,
    );
    expect(env.some((entry) => entry.startsWith('PYTEST_ADDOPTS='))).toBe(false);
  });

  it('gives the install step no report settings', () => {
    const { env } = buildContainerScript('pip install -r requirements.txt', 'python', 'install', 'MARK');
    expect(env.filter((entry) => /^(JUNIT_XML|SANDBOX_REPORT|PYTEST_ADDOPTS|NODE_OPTIONS)=/.test(entry))).toEqual([]);
    expect(env).toContain(`PYTHONUSERBASE=${sandboxPaths.pythonUserBase}`);
  });

  it('passes the command as an argument, never spliced into the script', () => {
    const command = `echo "it's" $HOME; exit 3`;
    const { cmd } = buildContainerScript(command, 'python', 'test', 'MARK');
    expect(cmd.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(cmd[2]).not.toContain(command);
    expect(cmd.slice(-2)).toEqual([command, 'MARK']);
  });

  describe('the wrapper, run with the host sh', () => {
    const run = (command: string, report?: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'sc-wrapper-'));
      try {
        const reportPath = join(dir, 'junit.xml');
        if (report !== undefined) writeFileSync(reportPath, report);
        const { cmd } = buildContainerScript(command, 'python', 'test', 'MARK-123');
        const child = spawnSync(cmd[0]!, cmd.slice(1), { env: { PATH: process.env.PATH, SANDBOX_PROJECT: dir, SANDBOX_REPORT: reportPath }, encoding: 'utf8' });
        return { status: child.status, stdout: child.stdout.replaceAll(dir, '<dir>'), stderr: child.stderr };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };

    it('runs the command in the project folder, keeps its exit status and prints the trailer with the report', () => {
      const { status, stdout } = run('pwd; printf no-newline; exit 7', '<testsuite/>');
      expect(status).toBe(7);
      expect(stdout).toMatch(/^<dir>\nno-newline\nMARK-123 pids \d+\nMARK-123 junit\n<testsuite\/>$/);
    });

    it('says nothing about a report when there is none', () => {
      const { status, stdout } = run('echo hi');
      expect(status).toBe(0);
      expect(stdout).toMatch(/^hi\n\nMARK-123 pids \d+\n$/);
    });
  });
});
