import type { Node } from '@vscode/tree-sitter-wasm';
import { childrenOf } from './routeShape.ts';

/** A parameter or field: its name, its annotation as written, whether it has a default. */
export interface Slot {
  name: string;
  type?: string;
  optional: boolean;
  /** `*args` / `**kwargs` (parameters only). */
  variadic?: boolean;
}

export interface PythonSignature {
  params: Slot[];
  returns?: string;
  line: number;
}

export interface PythonClass {
  fields: Slot[];
  bases: string[];
  methods: Record<string, PythonSignature>;
  line: number;
}

export interface PythonDeclarations {
  classes: Record<string, PythonClass>;
  functions: Record<string, PythonSignature>;
}

function definitionOf(node: Node): Node {
  return node.type === 'decorated_definition' ? (node.childForFieldName('definition') ?? node) : node;
}

function signature(definition: Node): PythonSignature {
  const params: Slot[] = [];
  for (const param of childrenOf(definition.childForFieldName('parameters'))) {
    const type = param.childForFieldName('type')?.text;
    const typed = type === undefined ? {} : { type };
    if (param.type === 'identifier') params.push({ name: param.text, optional: false });
    else if (param.type === 'typed_parameter') {
      const inner = childrenOf(param)[0];
      if (inner?.type === 'list_splat_pattern' || inner?.type === 'dictionary_splat_pattern') params.push({ name: childrenOf(inner)[0]?.text ?? '', optional: true, variadic: true });
      else params.push({ name: inner?.text ?? '', optional: false, ...typed });
    } else if (param.type === 'default_parameter' || param.type === 'typed_default_parameter') params.push({ name: param.childForFieldName('name')?.text ?? '', optional: true, ...typed });
    else if (param.type === 'list_splat_pattern' || param.type === 'dictionary_splat_pattern') params.push({ name: childrenOf(param)[0]?.text ?? '', optional: true, variadic: true });
  }
  const returns = definition.childForFieldName('return_type')?.text;
  return { params, line: definition.startPosition.row + 1, ...(returns === undefined ? {} : { returns }) };
}

function classOf(definition: Node): PythonClass {
  const fields: Slot[] = [];
  const methods: Record<string, PythonSignature> = {};
  for (const statement of childrenOf(definition.childForFieldName('body'))) {
    const member = definitionOf(statement);
    if (member.type === 'function_definition') methods[member.childForFieldName('name')?.text ?? ''] = signature(member);
    const assignment = member.type === 'expression_statement' ? childrenOf(member)[0] : undefined;
    const type = assignment?.type === 'assignment' ? assignment.childForFieldName('type')?.text : undefined;
    const left = assignment?.childForFieldName('left');
    if (type !== undefined && left?.type === 'identifier' && !/^(typing\.)?ClassVar\b/.test(type)) fields.push({ name: left.text, type, optional: assignment?.childForFieldName('right') !== null });
  }
  const bases = childrenOf(definition.childForFieldName('superclasses'))
    .filter((base) => base.type !== 'keyword_argument')
    .map((base) => base.text);
  return { fields, bases, methods, line: definition.startPosition.row + 1 };
}

/** Top-level classes (annotated fields, bases, method signatures) and functions (signatures) of a Python module. */
export function pythonDeclarations(root: Node): PythonDeclarations {
  const result: PythonDeclarations = { classes: {}, functions: {} };
  for (const statement of childrenOf(root)) {
    const definition = definitionOf(statement);
    const name = definition.childForFieldName('name')?.text ?? '';
    if (definition.type === 'class_definition') result.classes[name] = classOf(definition);
    else if (definition.type === 'function_definition') result.functions[name] = signature(definition);
  }
  return result;
}
