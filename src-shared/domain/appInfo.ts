import { z } from 'zod';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which face hosts the core: the Electron app or `service-creator serve`. */
  host: z.enum(['electron', 'bridge', 'cli']),
  platform: z.string(),
  dataDir: z.string(),
  databasePath: z.string(),
  schemaVersion: z.number().int(),
  /** What leaves this machine. Nothing yet: every answer so far is computed locally. */
  networkUse: z.array(z.string()),
});
export type AppInfo = z.infer<typeof appInfoSchema>;
