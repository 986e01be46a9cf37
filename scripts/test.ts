// `npm test`: everything this machine can check, in one command (the same one CI runs).
// Types, lint, unit + integration tests (vitest), the Electron/renderer build, and the
// end-to-end tests in Chromium (Playwright). Ends with one summary line of counts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { failedTests } from './failedTests.ts';
import { runSteps, type Step } from './runSteps.ts';

const bin = (name: string) => join('node_modules', '.bin', name);
// Playwright empties test-results/ when it starts, so the counts live elsewhere.
const resultsDir = join('.tmp', 'test-summary');
const vitestJson = join(resultsDir, 'vitest.json');
const playwrightJson = join(resultsDir, 'playwright.json');
const keychainJson = join(resultsDir, 'keychain.json');
const playwrightKeychainJson = join(resultsDir, 'playwright-keychain.json');
const dockerJson = join(resultsDir, 'docker.json');
mkdirSync(resultsDir, { recursive: true });
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });
rmSync(keychainJson, { force: true });
rmSync(playwrightKeychainJson, { force: true });
rmSync(dockerJson, { force: true });

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const steps: Step[] = [
  { name: 'typecheck', command: bin('tsc'), args: ['-p', 'tsconfig.node.json'] },
  { name: 'typecheck (renderer)', command: bin('tsc'), args: ['-p', 'tsconfig.web.json'] },
  { name: 'typecheck (e2e, bench)', command: bin('tsc'), args: ['-p', 'tsconfig.e2e.json'] },
  { name: 'lint', command: bin('eslint'), args: ['.'] },
  { name: 'build', command: bin('electron-vite'), args: ['build'] },
  // The CLI bundle (out/cli) the integration and e2e tests run through bin/service-creator.js.
  { name: 'build (CLI)', command: bin('vite'), args: ['build', '--config', 'cli.vite.config.ts'] },
  {
    name: 'unit + integration',
    command: bin('vitest'),
    args: ['run', '--project', 'unit', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
    needs: ['build'],
  },
  {
    // The real OS keychain: a private D-Bus session with GNOME Keyring around the test run.
    name: 'keychain (Secret Service)',
    command: 'bash',
    args: ['scripts/withKeychain.sh', bin('vitest'), 'run', '--project', 'keychain', '--reporter=default', '--reporter=json', `--outputFile.json=${keychainJson}`],
  },
  {
    // The sandbox against a real Docker engine: started here when none runs (root), with the
    // offline Python image built from Debian packages when it is missing.
    name: 'sandbox (Docker)',
    command: 'bash',
    args: ['scripts/withDocker.sh', bin('vitest'), 'run', '--project', 'docker', '--reporter=default', '--reporter=json', `--outputFile.json=${dockerJson}`],
  },
];
if (existsSync(chromium)) {
  // With Docker the Tests page runs real sandbox runs too; without it that spec says it skipped.
  const withDocker = spawnSync('sh', ['-c', 'command -v docker'], { stdio: 'ignore' }).status === 0;
  steps.push({
    name: 'e2e (Chromium)',
    command: withDocker ? 'bash' : bin('playwright'),
    args: withDocker ? ['scripts/withDocker.sh', bin('playwright'), 'test'] : ['test'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
    needs: ['build'],
  });
  // The same UI flow for API keys once more with a real keychain (the run above has none, so it
  // checks the "keychain unavailable" path).
  steps.push({
    name: 'e2e (Chromium, keychain)',
    command: 'bash',
    args: ['scripts/withKeychain.sh', bin('playwright'), 'test', 'test/e2e/providers.spec.ts', '--grep', 'key is sent once', '--output', 'test-results/keychain'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightKeychainJson },
    needs: ['build'],
  });
} else {
  process.stdout.write(`\nChromium not found at ${chromium}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH).\n`);
}

const results = runSteps(steps);
const counts = { passed: 0, failed: 0, skipped: 0 };
for (const file of [vitestJson, keychainJson, dockerJson]) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  counts.passed += report.numPassedTests;
  counts.failed += report.numFailedTests;
  counts.skipped += report.numPendingTests + report.numTodoTests;
}
for (const file of [playwrightJson, playwrightKeychainJson]) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { stats: { expected: number; unexpected: number; skipped: number; flaky: number } };
  counts.passed += report.stats.expected + report.stats.flaky;
  counts.failed += report.stats.unexpected;
  counts.skipped += report.stats.skipped;
}
const failedSteps = results.filter((r) => r.status !== 'passed');
if (!existsSync(chromium)) failedSteps.push({ name: 'e2e (Chromium)', status: 'not run', seconds: 0 });

process.stdout.write('\nSummary\n');
for (const r of results) process.stdout.write(`  ${r.status.padEnd(7)} ${r.name} (${r.seconds.toFixed(1)} s)\n`);
const trouble = failedTests([vitestJson, keychainJson, dockerJson], [playwrightJson, playwrightKeychainJson]);
if (trouble.flaky.length > 0) {
  process.stdout.write('\nPassed only on a retry (flaky: counted as passed, to be mended)\n');
  for (const line of trouble.flaky) process.stdout.write(`  ${line}\n`);
}
if (trouble.failed.length > 0) {
  process.stdout.write('\nFailed tests\n');
  for (const line of trouble.failed) process.stdout.write(`  ${line}\n`);
}
counts.failed += failedSteps.filter((r) => r.status === 'failed' && !/^(unit|e2e|keychain|sandbox)/.test(r.name)).length;
process.stdout.write(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
process.exit(failedSteps.length === 0 ? 0 : 1);
