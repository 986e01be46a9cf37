import { parsePromisedShape, type PromisedShape } from './promisedShape.ts';
import type { PythonClass, PythonDeclarations, PythonSignature, Slot } from './pythonDeclarations.ts';

const aliases: Record<string, string> = { List: 'list', Dict: 'dict', Set: 'set', Tuple: 'tuple', FrozenSet: 'frozenset', Type: 'type' };
/** Types whose values never pass for one another: a plan's `int` and a file's `str` is a real difference. */
const distinct = new Set(['int', 'str', 'float', 'bool', 'bytes', 'list', 'dict', 'set', 'tuple', 'frozenset', 'datetime', 'date', 'time', 'UUID', 'Decimal', 'None']);

interface TypeTree {
  head: string;
  args: TypeTree[];
}

function split(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '[') depth += 1;
    if (char === ']') depth -= 1;
    if ((char === ',' || char === '|') && depth === 0) {
      parts.push(current);
      current = char === '|' ? '|' : '';
    } else current += char;
  }
  return [...parts, current].filter((part) => part !== '');
}

/** `Optional[List[int]]` → union of list[int] and None; `Annotated[int, Field()]` → int; `typing.` prefixes dropped. */
function parseType(text: string): TypeTree[] {
  const clean = text.replace(/\s+/g, '').replace(/\b(typing|t|datetime|uuid|decimal)\./g, '');
  const union = split(clean).filter((part) => part.startsWith('|'));
  if (union.length > 0) return split(clean).flatMap((part) => parseType(part.replace(/^\|/, '')));
  const match = /^([\w.]+)(?:\[(.*)\])?$/.exec(clean);
  if (match?.[1] === undefined) return [{ head: clean, args: [] }];
  const head = aliases[match[1]] ?? match[1];
  const args = match[2] === undefined ? [] : split(match[2]);
  if (head === 'Optional') return [...args.flatMap(parseType), { head: 'None', args: [] }];
  if (head === 'Union') return args.flatMap(parseType);
  if (head === 'Annotated') return parseType(args[0] ?? '');
  return [{ head, args: args.map((arg) => parseType(arg)[0] ?? { head: arg, args: [] }) }];
}

function conflicts(a: TypeTree, b: TypeTree): boolean {
  if (a.head === b.head) return a.args.length === b.args.length && a.args.some((arg, index) => conflicts(arg, b.args[index] ?? arg));
  return distinct.has(a.head) && distinct.has(b.head);
}

/** Whether two annotations surely differ: optionality aside, one concrete type against another (`int` vs `str`, `list[int]` vs `list[str]`). */
export function typesConflict(promised: string, actual: string): boolean {
  const left = parseType(promised).filter((tree) => tree.head !== 'None');
  const right = parseType(actual).filter((tree) => tree.head !== 'None');
  if (left.length !== 1 || right.length !== 1) return false;
  const [a, b] = [left[0], right[0]];
  return a !== undefined && b !== undefined && conflicts(a, b);
}

const closedBases = /^(BaseModel|pydantic\.BaseModel|SQLModel|TypedDict|NamedTuple|object|Base|DeclarativeBase)$/;

/** A class's fields with those of same-file bases; `closed` when every base is known, so a missing field is really missing. */
function fieldsOf(classes: PythonDeclarations['classes'], name: string, seen = new Set<string>()): { fields: Slot[]; closed: boolean } {
  const found = classes[name];
  if (found === undefined || seen.has(name)) return { fields: [], closed: false };
  seen.add(name);
  let fields: Slot[] = [];
  let closed = true;
  for (const base of found.bases) {
    if (classes[base] !== undefined) {
      const inherited = fieldsOf(classes, base, seen);
      fields = [...fields, ...inherited.fields];
      closed &&= inherited.closed;
    } else if (!closedBases.test(base)) closed = false;
  }
  return { fields: [...fields.filter((field) => !found.fields.some((own) => own.name === field.name)), ...found.fields], closed };
}

const show = (slot: Slot): string => `${slot.name}${slot.type === undefined ? '' : `: ${slot.type}`}`;

function compareSlots(what: string, promised: Slot[], actual: Slot[], closed: boolean, kind: 'field' | 'parameter'): string[] {
  const problems: string[] = [];
  const open = actual.some((slot) => slot.variadic === true && slot.name !== '') || !closed;
  for (const slot of promised.filter((each) => each.variadic !== true)) {
    const match = actual.find((each) => each.name === slot.name && each.variadic !== true);
    if (match === undefined) {
      if (!open) problems.push(`${what} has no ${kind} \`${slot.name}\` (it has ${actual.map(show).join(', ') || 'none'})`);
    } else if (slot.type !== undefined && match.type !== undefined && typesConflict(slot.type, match.type)) {
      problems.push(`${what} declares \`${show(match)}\` where the plan promises \`${show(slot)}\``);
    }
  }
  if (kind === 'parameter' && !promised.some((slot) => slot.variadic === true)) {
    for (const slot of actual.filter((each) => !each.optional && each.variadic !== true && !promised.some((promise) => promise.name === each.name))) {
      problems.push(`${what} requires the parameter \`${slot.name}\`, which the plan does not promise, so callers written against the plan do not pass it`);
    }
  }
  return problems;
}

function compareSignature(label: string, shape: PromisedShape, actual: PythonSignature): string[] {
  const params = actual.params[0]?.name === 'self' || actual.params[0]?.name === 'cls' ? actual.params.slice(1) : actual.params;
  const problems = compareSlots(label, shape.slots, params, true, 'parameter');
  if (shape.returns !== undefined && actual.returns !== undefined && typesConflict(shape.returns, actual.returns)) problems.push(`${label} returns \`${actual.returns}\` where the plan promises \`${shape.returns}\``);
  return problems;
}

function compareClass(entry: string, shape: PromisedShape, classes: PythonDeclarations['classes'], found: PythonClass): string[] {
  const { fields, closed } = fieldsOf(classes, shape.name);
  const init = found.methods.__init__;
  // A plain class whose fields are its constructor's parameters.
  const slots = fields.length === 0 && init !== undefined ? init.params.slice(1) : fields;
  if (slots.length === 0 && !closed) return [];
  return compareSlots(`class ${shape.name}`, shape.slots, slots, closed || init !== undefined, 'field').map((problem) => `promises \`${entry}\`, but ${problem}`);
}

/**
 * The shapes the plan promises for a Python file, compared with what it defines: a pydantic
 * model's / dataclass's / class's fields (each promised field there, with a type that does not
 * contradict the promised one) and a function's or method's parameters (each promised name
 * there, no extra required one, types and return type not contradicting). Names the file lacks
 * are the interface check's; `int` vs `EmailStr`-like differences are left alone.
 */
export function checkPromisedShapes(promised: readonly string[], declarations: PythonDeclarations): string[] {
  const problems: string[] = [];
  for (const entry of promised) {
    const shape = parsePromisedShape(entry);
    if (shape === undefined) continue;
    const found = declarations.classes[shape.name];
    if (shape.member !== undefined) {
      const method = found?.methods[shape.member];
      if (method !== undefined) problems.push(...compareSignature(`${shape.name}.${shape.member}`, shape, method).map((problem) => `promises \`${entry}\`, but ${problem}`));
    } else if (found !== undefined && (shape.kind === 'fields' || shape.kind === 'call')) {
      problems.push(...compareClass(entry, shape, declarations.classes, found));
    } else if (shape.method) {
      const owners = Object.entries(declarations.classes).filter(([, owner]) => owner.methods[shape.name] !== undefined);
      const [owner] = owners;
      if (owners.length === 1 && owner !== undefined) problems.push(...compareSignature(`${owner[0]}.${shape.name}`, shape, owner[1].methods[shape.name] as PythonSignature).map((problem) => `promises \`${entry}\`, but ${problem}`));
    } else {
      const fn = declarations.functions[shape.name];
      if (fn !== undefined && shape.kind !== 'fields') problems.push(...compareSignature(shape.name, shape, fn).map((problem) => `promises \`${entry}\`, but ${problem}`));
    }
  }
  return problems;
}
