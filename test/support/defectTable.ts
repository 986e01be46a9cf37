import type { DefectOutcome } from './runDefectKind.ts';

/** The issue's goals for the corpus: caught before the sandbox, ended green, none missed. */
export const corpusGoals = { caughtPreSandbox: 0.8, endedGreen: 0.95, missed: 0 } as const;

export interface CorpusTotals {
  kinds: number;
  caughtPreSandbox: number;
  caughtBySandbox: number;
  endedGreen: number;
  missed: number;
  /** Whether each goal is met. */
  goals: { caughtPreSandbox: boolean; endedGreen: boolean; missed: boolean };
}

export function corpusTotals(outcomes: readonly DefectOutcome[]): CorpusTotals {
  const count = (test: (outcome: DefectOutcome) => boolean) => outcomes.filter(test).length;
  const kinds = outcomes.length;
  const caughtPreSandbox = count((outcome) => outcome.caughtPreSandbox);
  const endedGreen = count((outcome) => outcome.endedGreen);
  const missed = count((outcome) => outcome.missed);
  return {
    kinds,
    caughtPreSandbox,
    caughtBySandbox: count((outcome) => outcome.caughtBySandbox === true),
    endedGreen,
    missed,
    goals: {
      caughtPreSandbox: kinds > 0 && caughtPreSandbox / kinds >= corpusGoals.caughtPreSandbox,
      endedGreen: kinds > 0 && endedGreen / kinds >= corpusGoals.endedGreen,
      missed: missed === corpusGoals.missed,
    },
  };
}

const yes = (value: boolean | undefined) => (value === undefined ? '-' : value ? 'yes' : 'no');
const percent = (part: number, whole: number) => (whole === 0 ? '0 %' : `${Math.round((part / whole) * 100)} %`);

/** The per-kind table (Markdown) and the totals, as the report and the docker test print them. */
export function formatCorpusTable(outcomes: readonly DefectOutcome[]): string {
  const header = ['kind', 'language', 'defective file', 'expected', 'caught pre-sandbox', 'caught by sandbox', 'repair rounds', 'ended green', 'missed', 'note'];
  const rows = outcomes.map((outcome) => [
    outcome.kind,
    outcome.language,
    outcome.path,
    outcome.expected,
    yes(outcome.caughtPreSandbox),
    yes(outcome.caughtBySandbox),
    String(outcome.repairRounds),
    yes(outcome.endedGreen),
    yes(outcome.missed),
    (outcome.generation !== 'done' ? `generation ${outcome.generation}` : `${outcome.firstMessage !== undefined ? `first run ${outcome.firstOutcome ?? ''}: ${outcome.firstMessage}; ` : ''}${outcome.repairNote ?? ''}`).replace(/\s+/g, ' ').replace(/\|/g, '/').slice(0, 200),
  ]);
  const totals = corpusTotals(outcomes);
  const lines = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`);
  lines.push(
    '',
    `kinds ${totals.kinds}: caught before the sandbox ${totals.caughtPreSandbox}/${totals.kinds} (${percent(totals.caughtPreSandbox, totals.kinds)}, goal ≥ 80 %${totals.goals.caughtPreSandbox ? ', met' : ', NOT met'}), ` +
      `caught by the sandbox ${totals.caughtBySandbox}, ended green ${totals.endedGreen}/${totals.kinds} (${percent(totals.endedGreen, totals.kinds)}, goal ≥ 95 %${totals.goals.endedGreen ? ', met' : ', NOT met'}), ` +
      `missed ${totals.missed} (goal 0${totals.goals.missed ? ', met' : ', NOT met'})`,
  );
  return lines.join('\n');
}
