// The tests that failed, read back from the vitest and Playwright JSON reports, so the last lines
// of a long CI log name them (a CI system that keeps only the tail of the output still shows which
// test failed and why, not just a count).
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface VitestReport {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: { title: string; file?: string; line?: number; tests: { results: { status: string; error?: { message?: string } }[]; status: string }[] }[];
  suites?: PlaywrightSuite[];
}

/** First line of a failure message without terminal colours, cut to fit one summary line. */
function firstLine(text: string | undefined): string {
  const plain = (text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  const line = plain.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 200);
}

function fromVitest(file: string, into: TestTrouble): void {
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
  for (const result of report.testResults) {
    const path = relative(process.cwd(), result.name);
    const failed = result.assertionResults.filter((a) => a.status === 'failed');
    for (const a of failed) into.failed.push(`${path} › ${a.fullName}\n      ${firstLine(a.failureMessages?.[0])}`);
    // A file that failed before its tests ran (an import error, a failing hook) has no failed test.
    if (failed.length === 0 && result.status === 'failed') into.failed.push(`${path}\n      ${firstLine(result.message)}`);
    // Passed on a retry: vitest keeps the errors of the tries that failed.
    for (const a of result.assertionResults) {
      if (a.status === 'passed' && (a.failureMessages?.length ?? 0) > 0) into.flaky.push(`${path} › ${a.fullName}\n      ${firstLine(a.failureMessages?.[0])}`);
    }
  }
}

function fromPlaywright(file: string, into: TestTrouble): void {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { suites: PlaywrightSuite[] };
  // The top suites are the spec files (their title is the file name, said once as the place).
  const walk = (suite: PlaywrightSuite, titles: string[] | undefined): void => {
    const here = titles === undefined ? [] : [...titles, suite.title];
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        // "unexpected": failed on every try; "flaky": passed on a retry (counted as passed).
        if (test.status !== 'unexpected' && test.status !== 'flaky') continue;
        const failedTry = test.results.find((result) => result.status !== 'passed' && result.status !== 'skipped');
        const where = `${spec.file ?? suite.file ?? ''}${spec.line ? `:${spec.line}` : ''}`;
        const line = `${where} › ${[...here, spec.title].filter(Boolean).join(' › ')} (${failedTry?.status ?? 'failed'})\n      ${firstLine(failedTry?.error?.message)}`;
        (test.status === 'flaky' ? into.flaky : into.failed).push(line);
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of report.suites) walk(suite, undefined);
}

export interface TestTrouble {
  /** Failed on every try. */
  failed: string[];
  /** Failed, then passed on a retry: counted as passed, named so a flaky test is seen and mended. */
  flaky: string[];
}

/** "file › test name" and the first line of its error, for every failed or flaky test in the reports that exist. */
export function failedTests(vitestReports: string[], playwrightReports: string[]): TestTrouble {
  const trouble: TestTrouble = { failed: [], flaky: [] };
  for (const file of vitestReports) if (existsSync(file)) fromVitest(file, trouble);
  for (const file of playwrightReports) if (existsSync(file)) fromPlaywright(file, trouble);
  return trouble;
}
