/**
 * The defect corpus report (issue 17): every kind of test/fixtures/defects through the real core
 * (generate → sandbox tests → repair) with the perfect fixer as the model, printed as a table per
 * kind (caught before the sandbox, caught by the sandbox, repair rounds, ended green, missed) and
 * the totals against the goals (caught before the sandbox ≥ 80 %, ended green ≥ 95 %, none missed).
 *
 *   npm run report:defects [-- --only py-arg-count,ts-arg-count] [--concurrency 2] [--json out.json]
 *
 * Needs a Docker engine and the Python sandbox image (run it under scripts/withDocker.sh when no
 * engine is up); the Node projects run in a stand-in image built offline from the Python image
 * and this Node binary. Each good project runs alone first (the control): it must generate without a
 * finding and pass; what the checks find in it are false alarms, which do not count as catching a
 * defect. Exits 1 when a goal is missed, 2 when a control fails.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { connectDocker, dockerEndpoint } from '../src-main/sandbox/connectDocker.ts';
import { defaultSandboxImages } from '../src-shared/sandbox/sandboxTypes.ts';
import { loadDefectCorpus } from '../test/support/defectCorpus.ts';
import { corpusTotals, formatCorpusTable } from '../test/support/defectTable.ts';
import { runDefectCorpus } from '../test/support/runDefectKind.ts';
import { ensureStandInNodeImage } from '../test/support/standInNodeImage.ts';

const { values } = parseArgs({ options: { only: { type: 'string' }, concurrency: { type: 'string', default: '2' }, json: { type: 'string' } } });
const python = process.env.SANDBOX_PYTHON_IMAGE ?? defaultSandboxImages.python;
const docker = connectDocker(dockerEndpoint({ env: process.env, platform: process.platform }));
const images = { python, typescript: await ensureStandInNodeImage(docker, python) };
const corpus = loadDefectCorpus(values.only?.split(',').map((kind) => kind.trim()));
const concurrency = Math.max(1, Number(values.concurrency));
const started = performance.now();

const { controls, outcomes } = await runDefectCorpus(corpus, {
  images,
  concurrency,
  onOutcome: (outcome) => console.error(`${outcome.kind}: ${outcome.seconds.toFixed(1)} s`),
});
for (const control of controls) {
  const { outcome } = control;
  const alarms = outcome.allFindings.map((finding) => finding.replace('\n', ': ').slice(0, 160));
  console.log(
    `control (the good ${outcome.language} project of ${control.kinds.length} kinds): generation ${outcome.generation}, ${outcome.fixesBefore} fix prompt(s) for ${outcome.path}, tests ${outcome.firstOutcome ?? 'not run'}` +
      `${alarms.length > 0 ? `, ${alarms.length} false alarm(s): ${alarms.slice(0, 4).join(' / ')}` : ''}${control.passed ? '' : ' — FAILED'}`,
  );
  if (!control.passed) process.exitCode = 2;
}
console.log(formatCorpusTable(outcomes));
for (const outcome of outcomes) {
  if (outcome.findings.length > 0 || outcome.blamedElsewhere.length > 0) {
    console.log(
      `- ${outcome.kind}: findings on ${outcome.path}: ${outcome.findings.slice(0, 3).map((text) => text.replace(/\s+/g, ' ').slice(0, 160)).join(' / ') || 'none'}` +
        `${outcome.falseAlarms > 0 ? ` (+${outcome.falseAlarms} false alarm(s))` : ''}${outcome.blamedElsewhere.length > 0 ? `; also named: ${outcome.blamedElsewhere.join(', ')}` : ''}`,
    );
  }
}
console.log(`\n${corpus.length} kinds in ${((performance.now() - started) / 1000).toFixed(0)} s at concurrency ${concurrency} (load average ${loadavg().map((load) => load.toFixed(2)).join(' ')})`);
if (values.json) writeFileSync(values.json, `${JSON.stringify({ controls, outcomes }, null, 2)}\n`);
const totals = corpusTotals(outcomes);
if (process.exitCode === undefined && !(totals.goals.caughtPreSandbox && totals.goals.endedGreen && totals.goals.missed)) process.exitCode = 1;
