import type { Migration } from '../Migration.ts';
import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-providers-and-attempts.ts';
import { migration0003 } from './0003-interview.ts';
import { migration0004 } from './0004-pipeline.ts';
import { migration0005 } from './0005-sandbox.ts';
import { migration0006 } from './0006-load-balancing.ts';
import { migration0007 } from './0007-project-local-only.ts';
import { migration0008 } from './0008-audit-log.ts';
import { migration0009 } from './0009-control-plane.ts';
import { migration0010 } from './0010-ollama-location.ts';
import { migration0011 } from './0011-budget-time-zone.ts';
import { migration0012 } from './0012-budget-time-zone-known.ts';
import { migration0013 } from './0013-audit-pending.ts';
import { migration0014 } from './0014-budget-ledger-owner.ts';
import { migration0015 } from './0015-audit-pending-clock.ts';
import { migration0016 } from './0016-pipeline-runs-updated.ts';
import { migration0017 } from './0017-attempts-prompt-version.ts';

/** All migrations in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012, migration0013, migration0014, migration0015, migration0016, migration0017];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
