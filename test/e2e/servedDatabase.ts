import Database from 'better-sqlite3';
import { join } from 'node:path';
import { connectClient } from '../support/bridgeClient.ts';

/**
 * The data folder's database of a running `serve`, opened beside it once the core has opened it
 * (and so migrated it): a test writes rows straight into it, as another process would.
 */
export async function servedDatabase(serve: { port: number; token: string }, home: string): Promise<Database.Database> {
  const client = await connectClient(serve.port, serve.token);
  try {
    const opened = await client.invoke('usage.attempts', { limit: 1 });
    if (!opened.ok) throw new Error(`serve did not open its database: ${opened.error.message}`);
  } finally {
    await client.close();
  }
  return new Database(join(home, 'service-creator.db'));
}
