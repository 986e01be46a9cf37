import { protectedFolders, type ProtectedFolder } from '../paths/protectedFolders.ts';
import { resolveDataDir } from '../paths/resolveDataDir.ts';
import type { CliContext } from './CliContext.ts';

/**
 * The folders a CLI write on a path the user typed (`--out`) may not replace, hold or enter: the
 * data folder this invocation uses (SERVICE_CREATOR_HOME included), its models, the app, the
 * system. Known without opening the database, so a bad `--out` is refused before any work.
 */
export function cliProtectedFolders(ctx: CliContext): ProtectedFolder[] {
  return protectedFolders({ dataDir: resolveDataDir(ctx.io.env), env: ctx.io.env });
}
