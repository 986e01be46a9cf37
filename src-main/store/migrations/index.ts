import type { Migration } from '../Migration.ts';
import { migration0001 } from './0001-initial.ts';

/** All migrations in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [migration0001];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
