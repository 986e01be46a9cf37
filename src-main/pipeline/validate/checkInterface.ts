import type { FileProblem } from './FileProblem.ts';
import type { CodeLanguage } from './analyzeModule.ts';
import type { ModuleSymbols } from './ModuleSymbols.ts';
import { checkPromisedShapes } from './checkPromisedShape.ts';
import { parsePromisedExport, type PromisedExport } from './parsePromisedExport.ts';
import type { PythonDeclarations } from './pythonDeclarations.ts';

function list(items: readonly string[], max = 15): string {
  if (items.length === 0) return 'nothing';
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** `/rules/{rule_id}/`, `/rules/:ruleId`, `/rules/<int:rule_id>` all become `/rules/{}`; `/` becomes ''. */
function normalizeRoute(path: string): string {
  return path
    .replace(/[?#].*$/, '')
    .replace(/\{[^}]*\}|<[^>]*>|:[A-Za-z_]\w*/g, '{}')
    .replace(/\/+$/, '');
}

/**
 * Whether the file's string literals spell the route: the whole path, or a router prefix plus a
 * route (`APIRouter(prefix="/rules")` with `@router.get("/{rule_id}")`), or a route the app
 * mounts under a prefix set elsewhere (a literal that ends the path and has a fixed segment).
 */
function mentionsRoute(content: string, route: string): boolean {
  const target = normalizeRoute(route);
  const literals = new Set<string>();
  for (const match of content.matchAll(/(["'`])((?:\\.|(?!\1)[^\\\n])*)\1/g)) {
    const value = match[2] ?? '';
    if (value === '' || value.startsWith('/')) literals.add(normalizeRoute(value));
  }
  if (literals.has(target)) return true;
  for (const literal of literals) {
    if (literal === '') continue;
    if (target.startsWith(literal) && literals.has(target.slice(literal.length))) return true;
    if (target.endsWith(literal) && /\/[^/{]/.test(literal)) return true;
  }
  return false;
}

function checkName(promise: Extract<PromisedExport, { kind: 'name' }>, language: CodeLanguage, symbols: ModuleSymbols): string | undefined {
  const entryName = promise.member === undefined ? promise.name : `${promise.name}.${promise.member}`;
  if (language === 'python') {
    const defined = new Set([...symbols.exports, ...symbols.imported]);
    if (promise.method && promise.member === undefined) {
      if (Object.values(symbols.methods).some((methods) => methods.includes(promise.name)) || defined.has(promise.name)) return undefined;
      return `promises the method \`${promise.name}\` but no class in the file defines it (classes: ${list(Object.keys(symbols.methods))})`;
    }
    if (!defined.has(promise.name)) return `promises \`${entryName}\` but does not define it (top-level names: ${list(symbols.exports)})`;
    const methods = symbols.methods[promise.name];
    if (promise.member !== undefined && methods !== undefined && !methods.includes(promise.member)) {
      return `promises \`${entryName}\` but class ${promise.name} does not define ${promise.member} (its methods: ${list(methods)})`;
    }
    return undefined;
  }
  if (symbols.open) return undefined;
  if (promise.isDefault && symbols.exports.includes('default')) return undefined;
  if (symbols.exports.includes(promise.name)) return undefined;
  if (symbols.unexported.includes(promise.name)) return `promises \`${promise.name}\` and defines it, but does not export it`;
  return `promises \`${entryName}\` but does not define it (exports: ${list(symbols.exports)})`;
}

/**
 * Contract-first generation (the plan promises each file's interface before any file is written;
 * ARCHITECTURE.md): each promised entry of the plan must be there, so files written against the
 * contract find what they import. Python: a top-level def, class,
 * assignment or imported name (re-exports from `__init__.py` count), methods for `Class.method`
 * or `def m(self, ...)`; TS/JS: an export (`export { }` and CommonJS included). HTTP entries
 * (`POST /rules`) must appear as route string literals (method and full path are the
 * consistency check's, which sees the mounts). With the Python declarations, promised fields and
 * signatures are compared too (checkPromisedShapes). Entries we cannot read are skipped.
 */
export function checkInterface(path: string, language: CodeLanguage, content: string, symbols: ModuleSymbols, promised: readonly string[], declarations?: PythonDeclarations): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const entry of promised) {
    const promise = parsePromisedExport(entry);
    if (promise === undefined) continue;
    let message: string | undefined;
    if (promise.kind === 'endpoint') {
      if (!mentionsRoute(content, promise.path)) message = `promises the endpoint \`${promise.method} ${promise.path}\` but no route string in the file matches ${promise.path}`;
    } else message = checkName(promise, language, symbols);
    if (message !== undefined) problems.push({ path, rule: 'interface', message });
  }
  if (declarations !== undefined) problems.push(...checkPromisedShapes(promised, declarations).map((message) => ({ path, rule: 'interface' as const, message })));
  return problems;
}
