import type { Database } from 'better-sqlite3';

export interface RunsAndTurnsMoved {
  /** Runs created or moved on (their row, or a file version written) since the last call. */
  runs: { projectId: string; runId: string }[];
  /** Projects whose interview had a question asked, answered or set aside since the last call. */
  interviews: string[];
}

/**
 * What moved in generation runs and interviews since the last call, by index ends and rowid
 * ranges only (watchExternalChanges calls it on every tick the database moved): the runs whose
 * `updated_at` is at or past the newest seen (`pipeline_runs_updated`), the file versions and
 * interview turns past the last id seen, and the last turn seen again (its answer is written
 * into its row). The first call only takes where things stand.
 */
export function runsAndTurnsMoved(db: Database): () => RunsAndTurnsMoved {
  const runsSince = db.prepare('SELECT id, project_id AS projectId, updated_at AS updatedAt FROM pipeline_runs INDEXED BY pipeline_runs_updated WHERE updated_at >= ? ORDER BY updated_at');
  const versionsAfter = db.prepare('SELECT v.id AS id, v.run_id AS runId, r.project_id AS projectId FROM file_versions v JOIN pipeline_runs r ON r.id = v.run_id WHERE v.id > ? ORDER BY v.id');
  const lastVersion = db.prepare('SELECT MAX(id) FROM file_versions').pluck();
  const turnsFrom = db.prepare("SELECT id, project_id AS projectId, status || ' ' || IFNULL(answered_at, '') AS state FROM interview_turns WHERE id >= ? ORDER BY id");
  const lastTurn = db.prepare('SELECT MAX(id) FROM interview_turns').pluck();

  // Runs at the newest `updated_at` seen, with it: the next look starts there (a later change at the same millisecond is told by its id).
  let runMark = String(db.prepare('SELECT MAX(updated_at) FROM pipeline_runs').pluck().get() ?? '');
  let runsAtMark = new Map<string, string>();
  let versionMark = Number(lastVersion.get() ?? 0);
  let turnMark = Number(lastTurn.get() ?? 0);
  let turnState = new Map<number, string>();

  const read = (): RunsAndTurnsMoved => {
    const moved = new Map<string, { projectId: string; runId: string }>();
    const runs = runsSince.all(runMark) as { id: string; projectId: string; updatedAt: string }[];
    for (const run of runs) if (runsAtMark.get(run.id) !== run.updatedAt) moved.set(run.id, { projectId: run.projectId, runId: run.id });
    const newest = runs.at(-1)?.updatedAt;
    if (newest !== undefined) {
      runMark = newest;
      runsAtMark = new Map(runs.filter((run) => run.updatedAt === newest).map((run) => [run.id, run.updatedAt]));
    }
    // Rows of a deleted project went with it; ids past what is left are given again.
    versionMark = Math.min(versionMark, Number(lastVersion.get() ?? 0));
    for (const version of versionsAfter.all(versionMark) as { id: number; runId: string; projectId: string }[]) {
      versionMark = version.id;
      moved.set(version.runId, { projectId: version.projectId, runId: version.runId });
    }
    const interviews = new Set<string>();
    const topTurn = Number(lastTurn.get() ?? 0);
    if (topTurn < turnMark) {
      // The last turn seen went with its project: the one now last is where to look from, as it stands.
      turnMark = topTurn;
      turnState = new Map((turnsFrom.all(turnMark) as { id: number; state: string }[]).map((turn) => [turn.id, turn.state]));
    }
    const turns = turnsFrom.all(turnMark) as { id: number; projectId: string; state: string }[];
    for (const turn of turns) if (turnState.get(turn.id) !== turn.state) interviews.add(turn.projectId);
    const last = turns.at(-1);
    if (last !== undefined) {
      turnMark = last.id;
      turnState = new Map([[last.id, last.state]]);
    }
    return { runs: [...moved.values()], interviews: [...interviews] };
  };
  read();
  return read;
}
