/** One entry of a plan file's `exports`, read as what to look for in the file. */
export type PromisedExport =
  | {
      kind: 'name';
      /** The top-level name (`create_rule`, `RuleStore`); for `RuleStore.add`, the class. */
      name: string;
      /** `RuleStore.add` → `add`; a Python `def add(self, ...)` also counts as a member of some class. */
      member?: string;
      /** A Python `def x(self, ...)`/`(cls, ...)`: a method of some class, not a top-level function. */
      method: boolean;
      /** `export default ...`: the file must have a default export. */
      isDefault: boolean;
    }
  | {
      kind: 'endpoint';
      method: string;
      path: string;
      /** The success status the plan promises (`POST /rules -> 201 RuleOut`), when it states one. */
      status?: number;
    };

/**
 * A success status in what follows an endpoint's path: right after the arrow (`-> 201 RuleOut`,
 * `-> 204`), in parentheses (`(201)`, `(201 Created)`), or after `status`/`status_code`. A bare
 * number elsewhere (`?limit=100`, `max 200 items`) is not a status.
 */
function promisedStatus(rest: string): number | undefined {
  const match = /(?:^|->|=>)\s*(2\d\d)\b|\(\s*(2\d\d)\b|\bstatus(?:[_ ]code)?\s*[:=]?\s*(2\d\d)\b/i.exec(rest.trim());
  const value = match?.[1] ?? match?.[2] ?? match?.[3];
  return value === undefined ? undefined : Number(value);
}

const identifier = '[A-Za-z_$][\\w$]*';
const keyword = new RegExp(`^(?:def|class|function\\*?|const|let|var|interface|type|enum|namespace|module|struct|trait|fn)\\s+(${identifier})(?:\\.(${identifier}))?`);
const dotted = new RegExp(`^(${identifier})\\.(${identifier})\\s*(?:\\(|$)`);
const bare = new RegExp(`^(${identifier})\\s*(?:[(:=<]|->|$)`);

/**
 * Parses a contract entry such as `def create_rule(rule: Rule) -> Rule`, `async def list_rules()`,
 * `class RuleStore`, `export function parseRule(text: string): Rule`, `interface Rule`,
 * `RuleStore.add(rule)`, `create_rule(rule) -> Rule`, `POST /rules -> Rule` or `POST /rules -> 201 Rule`. Returns
 * undefined for prose we cannot read a name from (those entries are not checked).
 */
export function parsePromisedExport(entry: string): PromisedExport | undefined {
  const text = entry.trim();
  const endpoint = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|WS|WEBSOCKET)\s+(\/\S*)/i.exec(text);
  if (endpoint?.[1] !== undefined && endpoint[2] !== undefined) {
    const status = promisedStatus(text.slice(endpoint[0].length));
    const method = endpoint[1].toUpperCase() === 'WEBSOCKET' ? 'WS' : endpoint[1].toUpperCase();
    return { kind: 'endpoint', method, path: endpoint[2], ...(status === undefined ? {} : { status }) };
  }
  let rest = text;
  let isDefault = false;
  for (;;) {
    const decorator = /^@[\w.]+(\([^)]*\))?\s+/.exec(rest);
    const modifier = /^(export|default|declare|async|abstract|public|static|readonly|pub|final)\s+/.exec(rest);
    const found = decorator ?? modifier;
    if (found === null) break;
    if (found[1] === 'default') isDefault = true;
    rest = rest.slice(found[0].length);
  }
  const declared = keyword.exec(rest);
  if (declared?.[1] !== undefined) {
    const method = /^def\s/.test(rest) && /^def\s+\w+\s*\(\s*(self|cls)\b/.test(rest);
    return { kind: 'name', name: declared[1], ...(declared[2] === undefined ? {} : { member: declared[2] }), method, isDefault };
  }
  const member = dotted.exec(rest);
  if (member?.[1] !== undefined && member[2] !== undefined) return { kind: 'name', name: member[1], member: member[2], method: false, isDefault };
  const name = bare.exec(rest);
  if (name?.[1] !== undefined) return { kind: 'name', name: name[1], method: /^\w+\s*\(\s*(self|cls)\b/.test(rest), isDefault };
  return undefined;
}
