import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { cacheRowsUntilChange } from './cacheUntilChange.ts';
import { AppError } from '../../src-shared/AppError.ts';
import type { Project } from '../../src-shared/domain/project.ts';

interface ProjectRow {
  id: string;
  name: string;
  local_only?: number;
  created_at: string;
  updated_at: string;
}

export interface RepositoryDeps {
  now?: () => Date;
  newId?: () => string;
}

/** Projects in SQLite. Names are unique regardless of case, so two "Firewall" projects cannot exist. */
export class ProjectRepository {
  readonly #db: Database;
  readonly #now: () => Date;
  readonly #newId: () => string;

  readonly #localOnly: () => ReadonlySet<string>;

  constructor(db: Database, deps: RepositoryDeps = {}) {
    this.#db = db;
    let localRows: Statement | undefined;
    this.#localOnly = cacheRowsUntilChange(
      db,
      () => (localRows ??= db.prepare('SELECT id FROM projects WHERE local_only = 1 ORDER BY id').raw()).all() as unknown[][],
      (rows) => new Set(rows.map((row) => String(row[0]))),
    );
    this.#now = deps.now ?? (() => new Date());
    this.#newId = deps.newId ?? randomUUID;
  }

  list(): Project[] {
    const rows = this.#db.prepare('SELECT * FROM projects ORDER BY updated_at DESC, name COLLATE NOCASE').all() as ProjectRow[];
    return rows.map(toProject);
  }

  get(id: string): Project {
    const row = this.#db.prepare('SELECT * FROM projects WHERE id = ?').get(id) as ProjectRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No project with id ${id}`);
    return toProject(row);
  }

  /** Finds by exact id, else by name (case-insensitive): what a person types on the command line. */
  find(idOrName: string): Project {
    const row = this.#db
      .prepare('SELECT * FROM projects WHERE id = ? OR name = ? COLLATE NOCASE ORDER BY id = ? DESC LIMIT 1')
      .get(idOrName, idOrName, idOrName) as ProjectRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No project with id or name "${idOrName}"`);
    return toProject(row);
  }

  create(name: string): Project {
    const now = this.#now().toISOString();
    const row: ProjectRow = { id: this.#newId(), name, created_at: now, updated_at: now };
    this.#guardName(name);
    this.#db.prepare('INSERT INTO projects (id, name, created_at, updated_at) VALUES (@id, @name, @created_at, @updated_at)').run(row);
    return toProject(row);
  }

  rename(id: string, name: string): Project {
    const current = this.get(id);
    if (current.name !== name) this.#guardName(name, id);
    this.#db.prepare('UPDATE projects SET name = ?, updated_at = ? WHERE id = ?').run(name, this.#now().toISOString(), id);
    return this.get(id);
  }

  /** Marks a project local-only (or not); the next model call of the project follows it. */
  setLocalOnly(id: string, localOnly: boolean): Project {
    const result = this.#db.prepare('UPDATE projects SET local_only = ?, updated_at = ? WHERE id = ?').run(localOnly ? 1 : 0, this.#now().toISOString(), id);
    if (result.changes === 0) throw new AppError('NOT_FOUND', `No project with id ${id}`);
    return this.get(id);
  }

  /** The ids of the projects kept local, read again only when the database changed (every model call asks). */
  localOnlyIds(): ReadonlySet<string> {
    return this.#localOnly();
  }

  delete(id: string): void {
    const result = this.#db.prepare('DELETE FROM projects WHERE id = ?').run(id);
    if (result.changes === 0) throw new AppError('NOT_FOUND', `No project with id ${id}`);
  }

  #guardName(name: string, exceptId?: string): void {
    const clash = this.#db
      .prepare('SELECT id, name FROM projects WHERE name = ? COLLATE NOCASE AND id IS NOT ?')
      .get(name, exceptId ?? null) as { id: string; name: string } | undefined;
    if (clash) throw new AppError('CONFLICT', `A project named "${clash.name}" already exists`);
  }
}

function toProject(row: ProjectRow): Project {
  return { id: row.id, name: row.name, localOnly: row.local_only === 1, createdAt: row.created_at, updatedAt: row.updated_at };
}
