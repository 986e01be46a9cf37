import type { Node } from '@vscode/tree-sitter-wasm';
import type { ImportedModule, ModuleSymbols } from './ModuleSymbols.ts';

const importErrors = /^(ImportError|ModuleNotFoundError|Exception|BaseException)$/;

function children(node: Node | null): Node[] {
  return (node?.namedChildren ?? []).filter((child): child is Node => child !== null);
}

/** Identifiers bound by an assignment target: `a`, `a, b`, `(a, [b, c])`; not `a.b` or `a[0]`. */
function targetNames(target: Node | null): string[] {
  if (target === null) return [];
  if (target.type === 'identifier') return [target.text];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern'].includes(target.type)) return children(target).flatMap(targetNames);
  return [];
}

/**
 * Whether the statement sits in the body of a `try` whose handlers catch ImportError, and if so
 * whether a catching handler imports a replacement (`except ImportError: from x import y`) rather
 * than binding a placeholder (`y = None`) or passing.
 */
function guardOf(node: Node): { fallbackImports: boolean } | undefined {
  let from: Node = node;
  for (let parent = node.parent; parent !== null; from = parent, parent = parent.parent) {
    if (parent.type !== 'try_statement' || parent.childForFieldName('body')?.id !== from.id) continue;
    const handlers = children(parent).filter((child) => child.type === 'except_clause');
    const catching = handlers.filter((handler) => {
      const caught = children(handler).filter((child) => child.type !== 'block');
      if (caught.length === 0) return true;
      return caught.some((expression) => expression.descendantsOfType('identifier').some((identifier) => identifier !== null && importErrors.test(identifier.text)));
    });
    if (catching.length > 0) return { fallbackImports: catching.some((handler) => handler.descendantsOfType(['import_statement', 'import_from_statement']).length > 0) };
  }
  return undefined;
}

function dottedName(node: Node | null): string {
  return node?.text.replace(/\s+/g, '') ?? '';
}

function readImport(node: Node): { entries: ImportedModule[]; bound: string[] } {
  const line = node.startPosition.row + 1;
  const guard = guardOf(node);
  const optional = guard === undefined ? {} : { optional: true, ...(guard.fallbackImports ? { fallbackImports: true } : {}) };
  if (node.type === 'import_statement') {
    const entries: ImportedModule[] = [];
    const bound: string[] = [];
    for (const name of node.childrenForFieldName('name')) {
      if (name === null) continue;
      if (name.type === 'aliased_import') {
        entries.push({ module: dottedName(name.childForFieldName('name')), names: [], line, ...optional });
        bound.push(name.childForFieldName('alias')?.text ?? '');
      } else {
        const module = dottedName(name);
        entries.push({ module, names: [], line, ...optional });
        bound.push(module.split('.')[0] ?? module);
      }
    }
    return { entries, bound };
  }
  // import_from_statement and future_import_statement
  const module = node.type === 'future_import_statement' ? '__future__' : dottedName(node.childForFieldName('module_name'));
  const names: string[] = [];
  const bound: string[] = [];
  if (children(node).some((child) => child.type === 'wildcard_import')) names.push('*');
  for (const name of node.childrenForFieldName('name')) {
    if (name === null) continue;
    if (name.type === 'aliased_import') {
      names.push(dottedName(name.childForFieldName('name')));
      bound.push(name.childForFieldName('alias')?.text ?? '');
    } else {
      names.push(dottedName(name));
      bound.push(dottedName(name));
    }
  }
  return { entries: [{ module, names, line, ...optional }], bound };
}

const compound = new Set(['block', 'if_statement', 'try_statement', 'with_statement', 'elif_clause', 'else_clause', 'except_clause', 'finally_clause']);

/** Statements directly in a block, looking through top-level if/try/with (conditional definitions). */
function topLevelStatements(container: Node): Node[] {
  return children(container).flatMap((statement) => (compound.has(statement.type) ? topLevelStatements(statement) : [statement]));
}

function definitionOf(statement: Node): Node {
  return statement.type === 'decorated_definition' ? (statement.childForFieldName('definition') ?? statement) : statement;
}

/**
 * Top-level definitions (def, class, assignments, also inside top-level if/try), names bound by
 * top-level imports, every import in the file (lazy imports inside functions too, since they
 * must resolve as well) and each class's methods.
 */
export function analyzePythonModule(root: Node): ModuleSymbols {
  const exports: string[] = [];
  const imported: string[] = [];
  const methods: Record<string, string[]> = {};
  let open = false;
  for (const statement of topLevelStatements(root)) {
    const definition = definitionOf(statement);
    if (definition.type === 'function_definition' || definition.type === 'class_definition') {
      const name = definition.childForFieldName('name')?.text ?? '';
      exports.push(name);
      if (definition.type === 'function_definition' && name === '__getattr__') open = true;
      if (definition.type === 'class_definition') {
        methods[name] = topLevelStatements(definition.childForFieldName('body') ?? definition)
          .map(definitionOf)
          .filter((member) => member.type === 'function_definition')
          .map((member) => member.childForFieldName('name')?.text ?? '');
      }
    } else if (definition.type === 'expression_statement') {
      for (const expression of children(definition)) {
        if (expression.type === 'assignment') {
          // `a = b = 1` nests: the right side is another assignment.
          for (let assignment: Node | null = expression; assignment?.type === 'assignment'; assignment = assignment.childForFieldName('right')) {
            exports.push(...targetNames(assignment.childForFieldName('left')));
          }
        }
      }
    } else if (['import_statement', 'import_from_statement', 'future_import_statement'].includes(definition.type)) {
      imported.push(...readImport(definition).bound);
    }
  }
  const imports = root
    .descendantsOfType(['import_statement', 'import_from_statement', 'future_import_statement'])
    .filter((node): node is Node => node !== null)
    .flatMap((node) => readImport(node).entries);
  return { exports: [...new Set(exports)], imported: [...new Set(imported)], imports, open, unexported: [], methods };
}
