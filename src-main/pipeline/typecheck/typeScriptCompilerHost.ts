import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { nodeTypeDeclarations } from './nodeTypeDeclarations.ts';
import { declarationsOverride } from './typeDeclarationsDir.ts';

/**
 * What the checker reads from this machine, kept per thread: the parsed lib files
 * (lib.es2023.d.ts, ...) and @types/node's files are most of a check's cost, and they never
 * change while the app runs. Texts and existence answers too (module resolution asks for
 * package.json files and probes paths on every check).
 */
const sourceCache = new Map<string, ts.SourceFile>();
const textCache = new Map<string, string | undefined>();
const fileExistsCache = new Map<string, boolean>();
const directoryExistsCache = new Map<string, boolean>();
/** TypeScript's lib files: beside the compiler, or where the installed app ships them (typeDeclarationsDir.ts). */
let libDirFound: string | undefined;
const libDirOf = (): string => (libDirFound ??= declarationsOverride()?.libDir ?? dirname(ts.getDefaultLibFilePath({})).replace(/\\/g, '/'));

const inside = (path: string, folder: string) => path.startsWith(`${folder}/`);

/**
 * An in-memory compiler host: the generated files (by their paths under /project/), and,
 * read-only from this machine, TypeScript's lib folder and Node's type declarations
 * (@types/node with its undici-types). Nothing else exists for the checker: no other host
 * node_modules, the same answer on every machine.
 */
export function typeScriptCompilerHost(sources: ReadonlyMap<string, string>, root: string): ts.CompilerHost {
  const { folders: libraries } = nodeTypeDeclarations();
  const libDir = libDirOf();
  const projectFolders = new Set<string>();
  for (const path of sources.keys()) for (let folder = dirname(path); folder !== '/' && !projectFolders.has(folder); folder = dirname(folder)) projectFolders.add(folder);
  const isLibrary = (fileName: string) => dirname(fileName) === libDir || libraries.some((folder) => inside(fileName, folder));
  const fileExists = (fileName: string): boolean => {
    if (sources.has(fileName)) return true;
    if (!isLibrary(fileName)) return false;
    let exists = fileExistsCache.get(fileName);
    if (exists === undefined) fileExistsCache.set(fileName, (exists = ts.sys.fileExists(fileName)));
    return exists;
  };
  const readFile = (fileName: string): string | undefined => {
    const text = sources.get(fileName);
    if (text !== undefined || !isLibrary(fileName)) return text;
    if (!textCache.has(fileName)) textCache.set(fileName, fileExists(fileName) ? readFileSync(fileName, 'utf8') : undefined);
    return textCache.get(fileName);
  };
  return {
    getSourceFile(fileName, languageVersionOrOptions) {
      const text = sources.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersionOrOptions, true);
      if (!isLibrary(fileName)) return undefined;
      // The module format is part of the parse (Bundler and NodeNext checks see @types/node differently).
      const settings = typeof languageVersionOrOptions === 'object' ? `${languageVersionOrOptions.languageVersion}\n${String(languageVersionOrOptions.impliedNodeFormat)}` : String(languageVersionOrOptions);
      const key = `${fileName}\n${settings}`;
      let cached = sourceCache.get(key);
      if (cached === undefined) {
        const libraryText = readFile(fileName);
        if (libraryText === undefined) return undefined;
        cached = ts.createSourceFile(fileName, libraryText, languageVersionOrOptions, true);
        sourceCache.set(key, cached);
      }
      return cached;
    },
    fileExists,
    readFile,
    directoryExists(name) {
      const folder = name.replace(/\/$/, '');
      if (projectFolders.has(folder) || folder === libDir) return true;
      // The folders above a library are there so that resolution walks down to it (node_modules).
      if (libraries.some((library) => library === folder || inside(library, folder))) return true;
      if (!libraries.some((library) => inside(folder, library))) return false;
      let exists = directoryExistsCache.get(folder);
      if (exists === undefined) directoryExistsCache.set(folder, (exists = ts.sys.directoryExists(folder)));
      return exists;
    },
    getDirectories: () => [],
    getDefaultLibFileName: (opts) => join(libDir, ts.getDefaultLibFileName(opts)).replace(/\\/g, '/'),
    getDefaultLibLocation: () => libDir,
    writeFile: () => undefined,
    getCurrentDirectory: () => root,
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
  };
}
