import { isLoopbackUrl } from '../../../src-shared/domain/loopbackUrl.ts';
import type { Migration } from '../Migration.ts';

/**
 * An Ollama provider at another machine's address was stored as local (its type was always local),
 * so Local-only mode sent it prompts and code and the audit trail did not count them as leaving
 * this machine. Such a provider now counts as cloud until the user marks it local (Providers, or
 * `providers add --local`), as an OpenAI-compatible server does; none was marked before, so every
 * one at another address becomes cloud. One on this machine, or at the default address, stays local.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'ollama-location',
  up(db) {
    const rows = db.prepare("SELECT id, config FROM providers WHERE json_extract(config, '$.type') = 'ollama'").all() as { id: string; config: string }[];
    const update = db.prepare("UPDATE providers SET config = json_set(config, '$.location', 'cloud') WHERE id = ?");
    for (const row of rows) {
      let baseUrl: unknown;
      try {
        baseUrl = (JSON.parse(row.config) as { baseUrl?: unknown }).baseUrl;
      } catch {
        continue; // json_valid holds: never reached
      }
      if (typeof baseUrl === 'string' && baseUrl.trim() !== '' && !isLoopbackUrl(baseUrl)) update.run(row.id);
    }
  },
};
