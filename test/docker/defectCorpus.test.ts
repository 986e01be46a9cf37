import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefectCorpus } from '../support/defectCorpus.ts';
import { corpusGoals, corpusTotals, formatCorpusTable } from '../support/defectTable.ts';
import { runDefectCorpus, type CorpusControl, type DefectOutcome } from '../support/runDefectKind.ts';
import { ensureStandInNodeImage } from '../support/standInNodeImage.ts';
import { leftovers, pythonImage, useSandboxEngine } from './sandboxTestEngine.ts';

/**
 * The defect corpus (test/fixtures/defects, issue 17): realistic small projects (FastAPI, and a
 * node:http service in TypeScript), each with one typical model mistake, through the real core
 * (generate → sandbox tests → repair) with a perfect fixer as the model. Goals: caught before
 * the sandbox ≥ 80 %, ended green ≥ 95 %, none green while still defective. The control: every
 * good project generates without a finding or fix prompt and passes its own tests in the
 * sandbox. `npm run report:defects` prints the same table with the findings.
 */

const engine = useSandboxEngine();
const corpus = loadDefectCorpus();
let controls: CorpusControl[] = [];
let outcomes: DefectOutcome[] = [];

describe('the defect corpus through generate → test → repair (real engine)', () => {
  beforeAll(async () => {
    const images = { python: pythonImage, typescript: await ensureStandInNodeImage(engine.docker(), pythonImage) };
    // Two projects at a time: each waits mostly on its container or the checks, and CI has two cores.
    ({ controls, outcomes } = await runDefectCorpus(corpus, { images, concurrency: 2 }));
    console.log(formatCorpusTable(outcomes));
    expect(await leftovers(engine.docker())).toEqual({ containers: [], volumes: [] });
  }, 900_000);

  it('has at least 15 kinds, in Python and TypeScript, each with one defective file', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(15);
    expect(new Set(corpus.map((kind) => kind.language))).toEqual(new Set(['python', 'typescript']));
  });

  it('control: every good project generates without a finding and passes its own tests in the sandbox', () => {
    expect(controls.length).toBeGreaterThanOrEqual(2);
    for (const { outcome } of controls) {
      expect({ generation: outcome.generation, firstOutcome: outcome.firstOutcome, findings: outcome.allFindings }, `the good ${outcome.language} project`).toEqual({
        generation: 'done',
        firstOutcome: 'passed',
        findings: [],
      });
    }
  });

  it('meets the goals: caught before the sandbox ≥ 80 %, ended green ≥ 95 %, none missed', () => {
    const table = formatCorpusTable(outcomes);
    const totals = corpusTotals(outcomes);
    expect(totals.kinds).toBe(corpus.length);
    expect(totals.missed, table).toBe(corpusGoals.missed);
    expect(totals.caughtPreSandbox / totals.kinds, table).toBeGreaterThanOrEqual(corpusGoals.caughtPreSandbox);
    expect(totals.endedGreen / totals.kinds, table).toBeGreaterThanOrEqual(corpusGoals.endedGreen);
  });
});
