/** One import statement (or re-export, or `require`) as written in a file. */
export interface ImportedModule {
  /** The module as written: `app.models`, `.models`, `./rules.js`, `fastapi`. */
  module: string;
  /**
   * The names taken from it (the original names, not local aliases); `default` for a default
   * import; `*` for `from x import *` / `export * from 'x'`; empty for `import x`, namespace
   * imports and side-effect imports.
   */
  names: string[];
  /** 1-based. */
  line: number;
  /** `export { x } from` / `export * from`: the names become part of this module's exports. */
  reexport?: boolean;
  /** Python import inside `try:` guarded by `except ImportError` (optional dependency). */
  optional?: boolean;
  /** Guarded, and the handler imports a replacement (checked on its own) instead of binding a placeholder. */
  fallbackImports?: boolean;
}

/** What a Python or TS/JS module defines and what it takes from others, from its syntax tree. */
export interface ModuleSymbols {
  /** Names the module defines at top level (Python) or exports (TS/JS; `default` included). */
  exports: string[];
  /** Python: names bound at top level by imports, which other modules may import from it too. */
  imported: string[];
  imports: ImportedModule[];
  /**
   * The module's names cannot be listed statically (`module.exports = someFunction`, `export =`,
   * a module-level `__getattr__`), so "does it export X" checks must not fail on it.
   */
  open: boolean;
  /** Names defined at top level but not exported (TS/JS), for "defines it but does not export it". */
  unexported: string[];
  /** Python: method names per top-level class. */
  methods: Record<string, string[]>;
}
