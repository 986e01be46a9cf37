import type { Node } from '@vscode/tree-sitter-wasm';
import type { ImportedModule, ModuleSymbols } from './ModuleSymbols.ts';

function children(node: Node | null): Node[] {
  return (node?.namedChildren ?? []).filter((child): child is Node => child !== null);
}

function stringValue(node: Node | null): string | undefined {
  if (node === null || (node.type !== 'string' && node.type !== 'template_string')) return undefined;
  return node.text.slice(1, -1);
}

/** Identifiers bound by a declarator name: `a`, `{ a, b: c }`, `[d, ...e]`. */
function patternNames(pattern: Node | null): string[] {
  if (pattern === null) return [];
  switch (pattern.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      return [pattern.text];
    case 'pair_pattern':
      return patternNames(pattern.childForFieldName('value'));
    case 'assignment_pattern':
      return patternNames(pattern.childForFieldName('left'));
    case 'object_pattern':
    case 'array_pattern':
    case 'rest_pattern':
      return children(pattern).flatMap(patternNames);
    default:
      return [];
  }
}

/** The names a declaration introduces (`function f`, `class C`, `const a = 1, { b } = o`, `interface I`, ...). */
function declaredNames(declaration: Node): string[] {
  if (declaration.type === 'lexical_declaration' || declaration.type === 'variable_declaration') {
    return children(declaration)
      .filter((declarator) => declarator.type === 'variable_declarator')
      .flatMap((declarator) => patternNames(declarator.childForFieldName('name')));
  }
  if (declaration.type === 'ambient_declaration') return children(declaration).flatMap(declaredNames);
  const name = declaration.childForFieldName('name');
  return name === null ? [] : [name.text];
}

/** Property names of `module.exports = { a, b: 1, c() {} }` or of a pattern `{ a, b: c }`. */
function objectKeys(object: Node): string[] {
  return children(object).flatMap((property) => {
    if (property.type === 'shorthand_property_identifier' || property.type === 'shorthand_property_identifier_pattern') return [property.text];
    const key = property.childForFieldName('key') ?? property.childForFieldName('name');
    if (key === null) return [];
    return [stringValue(key) ?? key.text];
  });
}

/** `module.exports`, `exports.x`, `module.exports.x` as [isModuleExports, property]. */
function commonJsTarget(left: Node | null): { whole: boolean; name?: string } | undefined {
  if (left?.type !== 'member_expression') return undefined;
  const text = left.text.replace(/\s+/g, '');
  if (text === 'module.exports') return { whole: true };
  const match = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(text);
  return match?.[1] === undefined ? undefined : { whole: false, name: match[1] };
}

function readImportStatement(statement: Node, line: number): ImportedModule | undefined {
  const requireClause = children(statement).find((child) => child.type === 'import_require_clause');
  const source = stringValue(statement.childForFieldName('source') ?? requireClause?.childForFieldName('source') ?? null);
  if (source === undefined) return undefined;
  const names: string[] = [];
  const clause = children(statement).find((child) => child.type === 'import_clause');
  for (const part of children(clause ?? null)) {
    if (part.type === 'identifier') names.push('default');
    if (part.type === 'named_imports') {
      for (const specifier of children(part).filter((child) => child.type === 'import_specifier')) {
        const name = specifier.childForFieldName('name');
        if (name !== null) names.push(stringValue(name) ?? name.text);
      }
    }
  }
  return { module: source, names, line };
}

/**
 * Exports and imports of a TS/JS module: ES module syntax (declarations, `export { }`,
 * `export default`, re-exports) and CommonJS (`module.exports = { }`, `exports.x =`,
 * `require('x')` with destructured names), plus dynamic `import('x')`.
 */
export function analyzeScriptModule(root: Node): ModuleSymbols {
  const exports: string[] = [];
  const defined: string[] = [];
  const imports: ImportedModule[] = [];
  let open = false;
  for (const statement of children(root)) {
    const line = statement.startPosition.row + 1;
    switch (statement.type) {
      case 'import_statement': {
        const entry = readImportStatement(statement, line);
        if (entry !== undefined) imports.push(entry);
        break;
      }
      case 'export_statement': {
        const isDefault = (statement.children ?? []).some((child) => child?.type === 'default');
        const source = stringValue(statement.childForFieldName('source'));
        const declaration = statement.childForFieldName('declaration');
        const clause = children(statement).find((child) => child.type === 'export_clause');
        const namespace = children(statement).find((child) => child.type === 'namespace_export');
        if (isDefault) exports.push('default');
        if (declaration !== null) {
          if (isDefault) defined.push(...declaredNames(declaration));
          else exports.push(...declaredNames(declaration));
        } else if (clause !== undefined) {
          const original: string[] = [];
          for (const specifier of children(clause).filter((child) => child.type === 'export_specifier')) {
            const name = specifier.childForFieldName('name');
            const alias = specifier.childForFieldName('alias');
            if (name === null) continue;
            original.push(stringValue(name) ?? name.text);
            exports.push(alias === null ? (stringValue(name) ?? name.text) : (stringValue(alias) ?? alias.text));
          }
          if (source !== undefined) imports.push({ module: source, names: original, line, reexport: true });
        } else if (namespace !== undefined) {
          exports.push(children(namespace)[0]?.text ?? '');
          if (source !== undefined) imports.push({ module: source, names: [], line });
        } else if (source !== undefined) {
          imports.push({ module: source, names: ['*'], line, reexport: true });
        } else if (!isDefault && (statement.children ?? []).some((child) => child?.type === '=')) {
          open = true; // `export = value`
        }
        break;
      }
      case 'expression_statement': {
        const assignment = children(statement)[0];
        if (assignment?.type !== 'assignment_expression') break;
        const target = commonJsTarget(assignment.childForFieldName('left'));
        if (target === undefined) break;
        if (target.name !== undefined) exports.push(target.name);
        else {
          exports.push('default');
          const right = assignment.childForFieldName('right');
          if (right?.type === 'object') exports.push(...objectKeys(right));
          else open = true;
        }
        break;
      }
      default:
        if (/declaration$|^internal_module$|^module$|^function_signature$/.test(statement.type)) defined.push(...declaredNames(statement));
    }
  }
  for (const call of root.descendantsOfType('call_expression')) {
    if (call === null) continue;
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'import' && !(callee?.type === 'identifier' && callee.text === 'require')) continue;
    const argument = children(call.childForFieldName('arguments'))[0] ?? null;
    const source = stringValue(argument);
    if (source === undefined || source.includes('${')) continue;
    const declarator = call.parent?.type === 'variable_declarator' ? call.parent : undefined;
    const pattern = declarator?.childForFieldName('name');
    const names = callee.type !== 'import' && pattern?.type === 'object_pattern' ? objectKeys(pattern) : [];
    imports.push({ module: source, names, line: call.startPosition.row + 1 });
  }
  const exported = new Set(exports);
  imports.sort((a, b) => a.line - b.line);
  return { exports: [...exported], imported: [], imports, open, unexported: [...new Set(defined)].filter((name) => !exported.has(name)), methods: {} };
}
