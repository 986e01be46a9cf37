import type { Node } from '@vscode/tree-sitter-wasm';
import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import { isCodeLanguage } from './analyzeModule.ts';
import { grammarOf, withSyntaxTree } from './withSyntaxTree.ts';

function children(node: Node | null): Node[] {
  return (node?.namedChildren ?? []).filter((child): child is Node => child !== null);
}

function oneLine(text: string, max = 160): string {
  const collapsed = text
    .replace(/\s+/g, ' ')
    .replace(/([([]) /g, '$1')
    .replace(/,? ([)\]])/g, '$1')
    .trim();
  return collapsed.length > max ? `${collapsed.slice(0, max - 1)}…` : collapsed;
}

/** The text of a definition up to its body (`def f(a: int) -> int:`, `function f(a: string): Rule`). */
function header(node: Node, body: Node | null): string {
  return body === null ? node.text : node.text.slice(0, body.startIndex - node.startIndex);
}

const isPublicPython = (name: string): boolean => !name.startsWith('_') || (name.startsWith('__') && name.endsWith('__'));

function pythonDocstring(body: Node | null): string | undefined {
  const first = children(body)[0];
  const string = first?.type === 'expression_statement' ? children(first)[0] : undefined;
  if (string?.type !== 'string') return undefined;
  const line = string.text
    .replace(/^[rRbBuU]*("""|'''|"|')/, '')
    .replace(/("""|'''|"|')$/, '')
    .split('\n')
    .map((part) => part.trim())
    .find((part) => part !== '');
  return line === undefined ? undefined : line.replace(/"""/g, '');
}

function pythonDefinition(statement: Node, indent: string, withDocstring: boolean): string[] {
  const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
  if (definition === null) return [];
  const decorators = children(statement)
    .filter((child) => child.type === 'decorator')
    .map((decorator) => `${indent}${oneLine(decorator.text)}`);
  const body = definition.childForFieldName('body');
  const lines = [...decorators, `${indent}${oneLine(header(definition, body))}`];
  const docstring = withDocstring ? pythonDocstring(body) : undefined;
  if (definition.type === 'class_definition') {
    if (docstring !== undefined) lines.push(`${indent}    """${docstring}"""`);
    const members: string[] = [];
    for (const member of children(body)) {
      const inner = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
      if (inner?.type === 'function_definition' || inner?.type === 'class_definition') {
        if (isPublicPython(inner.childForFieldName('name')?.text ?? '')) members.push(...pythonDefinition(member, `${indent}    `, false));
      } else if (member.type === 'expression_statement' && children(member)[0]?.type === 'assignment') {
        members.push(`${indent}    ${oneLine(member.text, 120)}`);
      }
    }
    lines.push(...(members.length > 0 ? members : [`${indent}    ...`]));
    return lines;
  }
  if (docstring !== undefined) lines.push(`${indent}    """${docstring}"""`);
  else lines[lines.length - 1] += ' ...';
  return lines;
}

function pythonSurface(root: Node): string[] {
  const blocks: string[] = [];
  const moduleDoc = pythonDocstring(root);
  if (moduleDoc !== undefined) blocks.push(`"""${moduleDoc}"""`);
  for (const statement of children(root)) {
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'function_definition' || definition?.type === 'class_definition') {
      if (isPublicPython(definition.childForFieldName('name')?.text ?? '')) blocks.push(pythonDefinition(statement, '', true).join('\n'));
    } else if (statement.type === 'expression_statement' && children(statement)[0]?.type === 'assignment') {
      const target = children(statement)[0]?.childForFieldName('left')?.text ?? '';
      if (isPublicPython(target) || target === '__all__') blocks.push(oneLine(statement.text, 120));
    }
  }
  return blocks;
}

/** The first line of a `/** ... *\/` comment right above a statement, as a one-line JSDoc. */
function jsDoc(statement: Node): string | undefined {
  const previous = statement.previousSibling;
  if (previous?.type !== 'comment' || !previous.text.startsWith('/**') || statement.startPosition.row - previous.endPosition.row > 1) return undefined;
  const line = previous.text
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((part) => part.replace(/^\s*\*\s?/, '').trim())
    .find((part) => part !== '');
  return line === undefined ? undefined : `/** ${line} */`;
}

function scriptClass(prefix: string, declaration: Node): string {
  const body = declaration.childForFieldName('body');
  const members: string[] = [];
  for (const member of children(body)) {
    if (member.type === 'comment') continue;
    const hidden = children(member).some((child) => child.type === 'accessibility_modifier' && child.text !== 'public') || member.childForFieldName('name')?.type === 'private_property_identifier';
    if (hidden) continue;
    if (member.type === 'method_definition') members.push(`  ${oneLine(header(member, member.childForFieldName('body')))};`);
    else if (member.type === 'public_field_definition') {
      const value = member.childForFieldName('value');
      const hasType = member.childForFieldName('type') !== null;
      members.push(`  ${oneLine(value !== null && hasType ? header(member, value).replace(/\s*=\s*$/, '') : member.text, 120).replace(/;$/, '')};`);
    } else members.push(`  ${oneLine(member.text, 120).replace(/;$/, '')};`);
  }
  return `${prefix}${oneLine(header(declaration, body))} {${members.length > 0 ? `\n${members.join('\n')}\n` : ' '}}`;
}

function scriptDeclaration(prefix: string, declaration: Node): string {
  switch (declaration.type) {
    case 'function_declaration':
    case 'generator_function_declaration':
      return `${prefix}${oneLine(header(declaration, declaration.childForFieldName('body')))};`;
    case 'class_declaration':
    case 'abstract_class_declaration':
    case 'class':
      return scriptClass(prefix, declaration);
    case 'lexical_declaration':
    case 'variable_declaration': {
      const kind = declaration.children[0]?.text ?? 'const';
      const declarators = children(declaration)
        .filter((child) => child.type === 'variable_declarator')
        .map((declarator) => {
          const value = declarator.childForFieldName('value');
          if (value !== null && (value.type === 'arrow_function' || value.type === 'function_expression' || value.type === 'function')) {
            return `${oneLine(header(declarator, value.childForFieldName('body')))} …`;
          }
          if (value !== null && declarator.childForFieldName('type') !== null) return oneLine(header(declarator, value).replace(/\s*=\s*$/, ''));
          return oneLine(declarator.text, 100);
        });
      return `${prefix}${kind} ${declarators.join(', ')};`;
    }
    case 'interface_declaration':
    case 'type_alias_declaration':
    case 'enum_declaration': {
      // Already signatures only: keep their layout, within reason.
      const lines = declaration.text.split('\n');
      return `${prefix}${lines.length > 40 ? [...lines.slice(0, 39), '  // …'].join('\n') : declaration.text}`;
    }
    default:
      return `${prefix}${oneLine(declaration.text, 1500)}`;
  }
}

function scriptSurface(root: Node): string[] {
  const blocks: string[] = [];
  for (const statement of children(root)) {
    let text: string | undefined;
    if (statement.type === 'export_statement') {
      const declaration = statement.childForFieldName('declaration') ?? statement.childForFieldName('value');
      const isDefault = statement.children.some((child) => child?.type === 'default');
      const prefix = isDefault ? 'export default ' : 'export ';
      text = declaration !== null && declaration.type !== 'identifier' ? scriptDeclaration(prefix, declaration) : oneLine(statement.text, 300);
    } else if (statement.type === 'expression_statement' && /^(module\.)?exports\b/.test(statement.text)) {
      text = oneLine(statement.text, 300);
    }
    if (text === undefined) continue;
    const doc = jsDoc(statement);
    blocks.push(doc === undefined ? text : `${doc}\n${text}`);
  }
  return blocks;
}

/**
 * A compact text of a file's public surface, for prompts where the full text does not fit (a
 * local model's context): Python top-level defs and classes with decorators, signatures and
 * docstring first lines, class fields and public method signatures, public module-level
 * assignments; TS/JS exported declarations without bodies (interfaces and types in full,
 * classes with their public members), re-exports and CommonJS `module.exports`. Other languages
 * give ''.
 */
export async function exportedSignatures(file: { path: string; language: FileLanguage; content: string }): Promise<string> {
  const language = file.language;
  if (!isCodeLanguage(language)) return '';
  const blocks = await withSyntaxTree(grammarOf(language, file.path), file.content, (root) => (language === 'python' ? pythonSurface(root) : scriptSurface(root)));
  return blocks.join('\n\n');
}
