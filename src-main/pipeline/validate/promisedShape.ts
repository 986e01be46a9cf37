import type { Slot } from './pythonDeclarations.ts';

/** What a plan entry promises about a Python name's shape: a class's fields or a callable's parameters. */
export interface PromisedShape {
  name: string;
  /** `RuleStore.add(...)` → `add`. */
  member?: string;
  /** `fields`: `class Rule(BaseModel): id: int, action: str`; `params`: `def f(a: int) -> R`; `call`: `Rule(id: int)` (either, by what the file defines). */
  kind: 'fields' | 'params' | 'call';
  slots: Slot[];
  returns?: string;
  /** A `def x(self, ...)`: a method of some class. */
  method: boolean;
}

/** Splits `a: int, b: dict[str, int] = {}` at top-level commas/semicolons. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if ('([{'.includes(char)) depth += 1;
    if (')]}'.includes(char)) depth -= 1;
    if ((char === ',' || char === ';') && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts.filter((part) => part !== '');
}

const slotPattern = /^(\*{0,2})([A-Za-z_]\w*)\s*(?::\s*([^=]+?))?\s*(=.*)?$/;

/** `id: int`, `name: str = "x"`, `*args`, `limit=10` → slots; undefined when an item is not one (then nothing is checked). */
function slotsOf(list: string): Slot[] | undefined {
  const slots: Slot[] = [];
  for (const item of splitTop(list)) {
    if (item === '*' || item === '/') continue;
    const match = slotPattern.exec(item);
    if (match?.[2] === undefined) return undefined;
    const type = match[3]?.trim();
    slots.push({ name: match[2], optional: match[4] !== undefined || match[1] !== '', ...(type === undefined ? {} : { type }), ...(match[1] === '' ? {} : { variadic: true }) });
  }
  return slots;
}

/** The text between a bracket at `open` and its partner, or undefined when unbalanced. */
function bracketed(text: string, open: number): { inner: string; end: number } | undefined {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if ('([{'.includes(text[index] ?? '')) depth += 1;
    if (')]}'.includes(text[index] ?? '')) depth -= 1;
    if (depth === 0) return { inner: text.slice(open + 1, index), end: index + 1 };
  }
  return undefined;
}

const withoutSelf = (slots: Slot[]): Slot[] => (slots[0]?.name === 'self' || slots[0]?.name === 'cls' ? slots.slice(1) : slots);

/**
 * Reads the shape a Python plan entry promises: `class Rule(BaseModel): id: int, action: str`,
 * `class Rule(id: int, action: str)`, `@dataclass class Rule { id: int; action: str }`,
 * `def create_rule(rule: RuleIn) -> RuleOut`, `RuleStore.add(rule: Rule) -> Rule`,
 * `Rule(id: int, action: str)`. Undefined when it promises no fields or parameters we can read
 * (`class RuleStore`, prose), so nothing is checked.
 */
export function parsePromisedShape(entry: string): PromisedShape | undefined {
  const text = entry.trim().replace(/^(@[\w.]+(\([^)]*\))?\s+|(async|export)\s+)+/, '');
  const declared = /^(class|def)\s+([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*/.exec(text) ?? /^()([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*(?=\()/.exec(text);
  if (declared?.[2] === undefined) return undefined;
  const keyword = declared[1];
  const member = declared[3];
  let rest = text.slice(declared[0].length);
  const head = rest.startsWith('(') ? bracketed(rest, 0) : undefined;
  if (keyword === 'class') {
    let fields = head === undefined ? undefined : slotsOf(head.inner);
    // `class Rule(BaseModel)`: bases, not fields.
    if (fields?.every((slot) => slot.type === undefined && !slot.optional) === true) fields = undefined;
    rest = (head === undefined ? rest : rest.slice(head.end)).trim();
    if (fields === undefined && rest !== '') {
      const body = rest.startsWith('{') ? bracketed(rest, 0)?.inner : /^(?::|-+|with|fields:?)\s*(.*)$/s.exec(rest)?.[1];
      fields = body === undefined ? undefined : slotsOf(body);
    }
    if (fields === undefined || fields.length === 0 || fields.every((slot) => slot.type === undefined)) return undefined;
    return { name: declared[2], kind: 'fields', slots: fields, method: false };
  }
  if (head === undefined) return undefined;
  const params = slotsOf(head.inner);
  if (params === undefined) return undefined;
  const returns = /^\s*->\s*(.+)$/.exec(rest.slice(head.end))?.[1]?.trim();
  const isMethod = params[0]?.name === 'self' || params[0]?.name === 'cls';
  return {
    name: declared[2],
    ...(member === undefined ? {} : { member }),
    kind: keyword === 'def' || member !== undefined ? 'params' : 'call',
    slots: withoutSelf(params),
    method: isMethod && member === undefined,
    ...(returns === undefined ? {} : { returns }),
  };
}
