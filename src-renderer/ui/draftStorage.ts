/**
 * Text the user typed and has not sent yet, kept in this browser's localStorage (the desktop
 * app's too) so a reload, a crash or a restart does not lose it. Keys are scoped per project
 * (`project:<id>:…`); the store is bounded: a draft over `maxDraftChars` is not kept, at most
 * `maxDrafts` are (the oldest go first) and none older than `maxAgeMs`.
 */
const prefix = 'service-creator.draft:';
export const maxDraftChars = 200_000;
export const maxDrafts = 60;
const maxAgeMs = 30 * 24 * 60 * 60 * 1000;

interface Stored {
  /** When it was saved (ms). */
  at: number;
  value: unknown;
}

export function readDraft(key: string): unknown {
  try {
    const raw = localStorage.getItem(prefix + key);
    if (raw === null) return undefined;
    const stored = JSON.parse(raw) as Partial<Stored>;
    if (typeof stored.at !== 'number' || Date.now() - stored.at > maxAgeMs) {
      localStorage.removeItem(prefix + key);
      return undefined;
    }
    return stored.value;
  } catch {
    return undefined;
  }
}

export function writeDraft(key: string, value: unknown): void {
  try {
    const raw = JSON.stringify({ at: Date.now(), value } satisfies Stored);
    if (raw.length > maxDraftChars) {
      localStorage.removeItem(prefix + key);
      return;
    }
    localStorage.setItem(prefix + key, raw);
    trim();
  } catch {
    // storage full or unavailable: the draft lives only as long as the page
  }
}

export function dropDraft(key: string): void {
  try {
    localStorage.removeItem(prefix + key);
  } catch {
    // nothing kept, nothing to drop
  }
}

/** Every draft of a project goes with it (deleted, or started over). */
export function dropProjectDrafts(projectId: string): void {
  for (const key of draftKeys()) if (key.startsWith(`${prefix}project:${projectId}:`)) localStorage.removeItem(key);
}

function draftKeys(): string[] {
  const keys: string[] = [];
  for (let index = 0; index < localStorage.length; index++) {
    const key = localStorage.key(index);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

function trim(): void {
  const keys = draftKeys();
  if (keys.length <= maxDrafts) return;
  const aged = keys.map((key) => {
    try {
      return { key, at: (JSON.parse(localStorage.getItem(key) ?? '{}') as Partial<Stored>).at ?? 0 };
    } catch {
      return { key, at: 0 };
    }
  });
  aged.sort((a, b) => a.at - b.at);
  for (const { key } of aged.slice(0, keys.length - maxDrafts)) localStorage.removeItem(key);
}
