import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';
import { declarationsOverride } from './typeDeclarationsDir.ts';

export interface NodeTypeDeclarations {
  /** @types/node's index.d.ts: a root of every TypeScript check. */
  entry: string;
  /** The folders the checker may read: @types/node and the undici-types it imports. */
  folders: readonly string[];
}

let found: NodeTypeDeclarations | undefined;

/** TypeScript's paths use forward slashes on every system. */
const slashes = (path: string) => path.replace(/\\/g, '/');

/**
 * Node's real type declarations, from the app's own install (a dependency, so electron-builder
 * packs it into app.asar, which Electron's fs reads): resolved from this module's location, so
 * the sources, the CLI bundle (out/cli) and the Electron main build (out/main, in or out of the
 * asar) all find the node_modules above them. Resolved once per thread.
 */
export function nodeTypeDeclarations(): NodeTypeDeclarations {
  if (found !== undefined) return found;
  const packaged = declarationsOverride();
  if (packaged !== undefined) {
    found = { entry: `${packaged.nodeTypes}/index.d.ts`, folders: [packaged.nodeTypes, packaged.undiciTypes] };
    return found;
  }
  try {
    const nodeTypes = dirname(createRequire(import.meta.url).resolve('@types/node/package.json'));
    // undici-types is @types/node's own dependency: resolve it from there, as TypeScript will.
    const undiciTypes = dirname(createRequire(join(nodeTypes, 'package.json')).resolve('undici-types/package.json'));
    found = { entry: slashes(join(nodeTypes, 'index.d.ts')), folders: [slashes(nodeTypes), slashes(undiciTypes)] };
    return found;
  } catch (error) {
    throw new ProjectCheckFailed('crashed', `The type checker (TypeScript) cannot find Node's type declarations (@types/node) in the app's install: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
