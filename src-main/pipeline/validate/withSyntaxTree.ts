import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import treeSitter from '@vscode/tree-sitter-wasm';
import type { Language, Node, Parser } from '@vscode/tree-sitter-wasm';

/** The tree-sitter grammars we parse with (all shipped by `@vscode/tree-sitter-wasm`). */
export type Grammar = 'python' | 'javascript' | 'typescript' | 'tsx' | 'bash';

let runtime: Promise<string> | undefined;
const parsers = new Map<Grammar, Promise<Parser>>();

/** The folder holding `tree-sitter.wasm` and the grammars; initialises the WASM runtime once. */
function loadRuntime(): Promise<string> {
  runtime ??= (async () => {
    const wasmDir = dirname(createRequire(import.meta.url).resolve('@vscode/tree-sitter-wasm'));
    await treeSitter.Parser.init({ locateFile: (file: string) => join(wasmDir, file) });
    return wasmDir;
  })();
  runtime.catch(() => {
    runtime = undefined;
  });
  return runtime;
}

function loadParser(grammar: Grammar): Promise<Parser> {
  let parser = parsers.get(grammar);
  if (parser === undefined) {
    parser = (async () => {
      const wasmDir = await loadRuntime();
      const language: Language = await treeSitter.Language.load(join(wasmDir, `tree-sitter-${grammar}.wasm`));
      const created = new treeSitter.Parser();
      created.setLanguage(language);
      return created;
    })();
    // A failed load (missing file) is not cached, so a later call reports it again.
    parser.catch(() => parsers.delete(grammar));
    parsers.set(grammar, parser);
  }
  return parser;
}

/**
 * Parses `content` with a tree-sitter grammar and hands the root node to `use`, then frees the
 * tree (trees live in WASM memory, which the garbage collector does not see). The runtime and
 * each grammar load once per process, so after the first call a parse costs only the parse.
 * `use` must not keep nodes: they are invalid once it returns.
 */
export async function withSyntaxTree<T>(grammar: Grammar, content: string, use: (root: Node) => T): Promise<T> {
  const parser = await loadParser(grammar);
  parser.reset();
  const tree = parser.parse(content);
  if (tree === null) throw new Error(`tree-sitter returned no tree for a ${grammar} file of ${content.length} characters`);
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** The grammar for a code file: TSX syntax for `.tsx`, the plain TypeScript grammar otherwise. */
export function grammarOf(language: 'python' | 'javascript' | 'typescript' | 'bash', path: string): Grammar {
  if (language === 'typescript') return path.toLowerCase().endsWith('.tsx') ? 'tsx' : 'typescript';
  return language;
}
