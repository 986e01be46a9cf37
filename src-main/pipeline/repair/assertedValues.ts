import type { PlanFile } from '../../../src-shared/pipeline/plan.ts';
import { comparisons, projectFrames } from './failureEvidence.ts';

/**
 * What a failed value assertion is about, read the way a developer reads
 * `assert body["action"] == "deny"` / `E   AssertionError: assert 'allow' == 'deny'`: the field it
 * checks (`action`) and the value the test got and the one it expected. Text from untrusted output:
 * bounded regular expressions, no evaluation.
 */
export interface AssertedValue {
  fields: string[];
  actual: string;
  expected: string;
}

/** Attributes that are about the response or the container, not a field of the project's data. */
const notFields = new Set(['status_code', 'status', 'statusCode', 'text', 'content', 'headers', 'length', 'size', 'json', 'body', 'data', 'ok']);

/** The fields an asserted expression reads: `body["action"]`, `r.json().get("action")`, `rule.action`. */
export function fieldsOf(expression: string): string[] {
  const found = new Set<string>();
  for (const match of expression.matchAll(/\[\s*(['"])([A-Za-z_$][\w$]{0,80})\1\s*\]|\.get\(\s*(['"])([A-Za-z_$][\w$]{0,80})\3/g)) found.add((match[2] ?? match[4])!);
  for (const match of expression.matchAll(/\.([A-Za-z_$][\w$]{0,80})\b(?!\s*\()/g)) if (!notFields.has(match[1]!)) found.add(match[1]!);
  return [...found];
}

const scalar = /^-?\d+(\.\d+)?$|^(True|False|None|true|false|null|undefined)$/;

/** A quoted string, a number or a constant, as an assertion prints the values it compared. */
function isLiteral(token: string): boolean {
  const bare = token.replace(/,$/, '');
  return scalar.test(bare) || /^(['"]).{0,100}\1$/.test(bare);
}

/** `'allow'` → `allow`; a number or a name as written. */
function unquoted(token: string): string {
  const quoted = /^(['"])(.*)\1,?$/.exec(token);
  return quoted ? quoted[2]! : token.replace(/,$/, '');
}

/**
 * The value assertions of one failure: the compared values from the error lines, the fields from the
 * assertion pytest echoes (`>       assert body["action"] == "deny"`) or, without an echo (node:test),
 * from the test's own line at its innermost frame.
 */
export function assertedValues(text: string, stated: string, test: string | undefined, read: (path: string) => string | undefined, paths: ReadonlySet<string>): AssertedValue[] {
  // pytest's echoed source (`assert body["action"] == "deny"`) is among the stated lines: only a
  // comparison of two values is what the run saw.
  const compared = comparisons(stated).filter((item) => isLiteral(item.actual) && isLiteral(item.expected));
  if (compared.length === 0) return [];
  let expression = /^>\s+assert\s+(.{1,300}?)\s*(?:==|!=)/m.exec(text)?.[1];
  if (expression === undefined && test !== undefined) {
    const frame = projectFrames(text, paths).find((item) => item.path === test);
    const line = frame?.line ? (read(test) ?? '').split('\n')[frame.line - 1] : undefined;
    expression = line ? /(?:assert(?:\.\w+)?\(|expect\()\s*(.{1,300}?)\s*[,)]/.exec(line)?.[1] : undefined;
  }
  const fields = expression ? fieldsOf(expression) : [];
  if (fields.length === 0) return [];
  return compared.map((item) => ({ fields, actual: unquoted(item.actual), expected: unquoted(item.expected) }));
}

/** Source files reachable from `starts` along the plan's dependsOn, each with the start it was reached from and its distance. */
export function reachableFrom(starts: readonly string[], plan: readonly PlanFile[]): Map<string, { from: string; steps: number }> {
  const byPath = new Map(plan.map((file) => [file.path, file]));
  const reached = new Map<string, { from: string; steps: number }>();
  const queue = starts.map((path) => ({ path, from: path, steps: 0 }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const dependency of byPath.get(next.path)?.dependsOn ?? []) {
      if (reached.has(dependency) || starts.includes(dependency)) continue;
      reached.set(dependency, { from: next.from, steps: next.steps + 1 });
      queue.push({ path: dependency, from: next.from, steps: next.steps + 1 });
    }
  }
  return reached;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A literal of `value` in code: quoted when it is a string, a whole token when it is a number or a name. */
function literal(value: string): string {
  return scalar.test(value) ? `(?<![\\w$.])${escape(value)}(?![\\w$])` : `(?<q>['"\`])${escape(value)}\\k<q>`;
}

/**
 * `action: str = "deny"`, `action = 'deny'`, `action: 'deny'`, `action?: Action = "deny"`, and as a
 * fallback (`action: input.action ?? 'deny'`, `action = data.get("action") or "deny"`): the field given this
 * value; not a union type (`action?: 'allow' | 'deny'`), which promises no value.
 */
function fieldWithValue(field: string, value: string): RegExp {
  const fallback = `(?:[\\w$.()'"\\[\\]]{1,80}\\s*(?:\\?\\?|\\|\\||\\bor\\b)\\s*)?`;
  return new RegExp(`(?<![\\w$.])${escape(field)}\\??\\s*(?::\\s*[\\w$\\[\\]., |'"]{1,80}?\\s*)?[:=]\\s*${fallback}${literal(value)}(?!\\s*\\|)`);
}

/** The field named as a field or parameter (`action: str`, `action = ...`, `action?: string`), not merely in a longer name. */
function namesField(field: string): RegExp {
  return new RegExp(`(?<![\\w$.])${escape(field)}\\??\\s*[:=](?!=)`);
}

type Add = (path: string, score: number, why: string) => void;

/**
 * A value assertion blames the files that define the field it checks, among the sources the failing
 * test (and its traceback) reaches through the plan's dependencies, however indirectly:
 * - the plan promises the field with the expected value there (`action: str = "deny"`) → that file;
 * - the file gives the field the value the test got (`action: str = "allow"`) → that file;
 * - the plan promises the value the test got, and nothing promises the one it expected → the test;
 * - the plan's interface only names the field → that file, weakly.
 */
export function blameAssertedValues(
  asserted: readonly AssertedValue[],
  test: string | undefined,
  starts: readonly string[],
  plan: readonly PlanFile[],
  read: (path: string) => string | undefined,
  weights: { promised: number; defines: number; contradiction: number; named: number },
  add: Add,
): void {
  if (asserted.length === 0) return;
  const byPath = new Map(plan.map((file) => [file.path, file]));
  const candidates = [...new Set([...starts, ...reachableFrom(starts, plan).keys()])].filter((path) => byPath.get(path)?.kind === 'source');
  for (const { fields, actual, expected } of asserted) {
    for (const field of fields) {
      let expectedPromised = false;
      const actualPromisedIn: string[] = [];
      for (const path of candidates) {
        const file = byPath.get(path)!;
        const entries = file.exports.filter((entry) => namesField(field).test(entry));
        const promisesExpected = entries.find((entry) => fieldWithValue(field, expected).test(entry));
        const promisesActual = entries.find((entry) => fieldWithValue(field, actual).test(entry));
        if (promisesExpected) {
          expectedPromised = true;
          add(path, weights.promised, `the plan promises the field "${field}" with ${JSON.stringify(expected)} here (${promisesExpected.slice(0, 200)}); the test got ${JSON.stringify(actual)}`);
        } else if (promisesActual) {
          actualPromisedIn.push(path);
        } else if (entries.length > 0) {
          add(path, weights.named, `the plan's interface here names the field "${field}" the failed assertion checks (${entries[0]!.slice(0, 200)})`);
        }
        // A file giving the field the value its own plan promises is doing what it was asked.
        const defined = promisesActual ? undefined : (read(path) ?? '').split('\n').find((line) => fieldWithValue(field, actual).test(line));
        if (defined) add(path, weights.defines, `gives the field "${field}" the value ${JSON.stringify(actual)} the test got, where it expected ${JSON.stringify(expected)} (${defined.trim().slice(0, 200)})`);
      }
      if (test && !expectedPromised && actualPromisedIn.length > 0) {
        add(test, weights.contradiction, `the test expects "${field}" to be ${JSON.stringify(expected)}, but the plan promises ${JSON.stringify(actual)} (${actualPromisedIn.join(', ')})`);
      }
    }
  }
}

/**
 * After a round that changed nothing: the sources the failing tests and the traceback reach through
 * the plan's dependencies, nearest first, as the next candidates.
 */
export function widenedCandidates(starts: readonly string[], plan: readonly PlanFile[], weight: number, add: Add): void {
  const byPath = new Map(plan.map((file) => [file.path, file]));
  for (const [path, { from, steps }] of [...reachableFrom(starts, plan)].sort((a, b) => a[1].steps - b[1].steps)) {
    if (byPath.get(path)?.kind !== 'source') continue;
    add(path, Math.max(1, weight - steps), `reached from ${from} through the plan's dependencies (${steps} step${steps === 1 ? '' : 's'}); the files asked before changed nothing`);
  }
}
