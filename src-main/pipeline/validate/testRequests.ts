import type { Node } from '@vscode/tree-sitter-wasm';
import { childrenOf, httpMethods, statusValue, stringValue } from './routeShape.ts';

/** One HTTP request a test makes against the app under test, and the status it asserts. */
export interface TestRequest {
  method: string;
  /** As requested, interpolations as `{}` (`/rules/1`, `/rules/{}`). */
  path: string;
  line: number;
  /** `assert r.status_code == 201` (or `assertEqual`), when the test checks exactly one status. */
  expected?: number;
  /** The line of that assertion. */
  expectedLine?: number;
}

/** Receivers that are a test client of the app (`client`, `test_client`, `self.client`, `ac`), not `requests` or a dict. */
const clientName = /(^|\.|_)(client|ac|api)$|client/i;

function requestOf(call: Node): Omit<TestRequest, 'line'> | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute') return undefined;
  const method = callee.childForFieldName('attribute')?.text ?? '';
  if (!(httpMethods as readonly string[]).includes(method) || !clientName.test(callee.childForFieldName('object')?.text ?? '')) return undefined;
  const first = childrenOf(call.childForFieldName('arguments')).find((argument) => argument.type !== 'keyword_argument');
  const path = stringValue(first, true);
  return path?.startsWith('/') === true ? { method: method.toUpperCase(), path } : undefined;
}

/** `x.status_code == 201`, `201 == x.status_code`, `self.assertEqual(x.status_code, 201)` → the object (`x` or the call) and 201. */
function statusAssertion(node: Node): { subject: Node; status: number } | undefined {
  let operands: Node[];
  if (node.type === 'comparison_operator') {
    if (!/^\s*==\s*$/.test(node.text.slice((childrenOf(node)[0]?.endIndex ?? 0) - node.startIndex, (childrenOf(node)[1]?.startIndex ?? 0) - node.startIndex))) return undefined;
    operands = childrenOf(node);
  } else {
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'assertEqual') return undefined;
    operands = childrenOf(node.childForFieldName('arguments')).slice(0, 2);
  }
  if (operands.length !== 2) return undefined;
  for (const [left, right] of [
    [operands[0], operands[1]],
    [operands[1], operands[0]],
  ] as const) {
    if (left?.type !== 'attribute' || !/^status(_code)?$/.test(left.childForFieldName('attribute')?.text ?? '')) continue;
    const status = statusValue(right);
    const subject = left.childForFieldName('object');
    if (status !== undefined && subject !== null) return { subject, status };
  }
  return undefined;
}

function scopeOf(node: Node): number {
  for (let parent = node.parent; parent !== null; parent = parent.parent) if (parent.type === 'function_definition') return parent.id;
  return -1;
}

/**
 * The requests a Python test file makes through a test client (`client.post("/rules", ...)`,
 * f-string paths with their interpolations as parameters) and the status each is asserted to
 * return: inline (`client.get("/x").status_code == 200`) or through the variable it was assigned
 * to, the latest assignment before the assertion in the same function.
 */
export function pythonTestRequests(root: Node): TestRequest[] {
  const requests: (TestRequest & { node: Node; variable?: string; scope: number })[] = [];
  for (const call of root.descendantsOfType('call')) {
    if (call === null) continue;
    const request = requestOf(call);
    if (request === undefined) continue;
    let outer: Node = call;
    while (outer.parent?.type === 'await' || outer.parent?.type === 'parenthesized_expression') outer = outer.parent;
    const assigned = outer.parent?.type === 'assignment' && outer.parent.childForFieldName('left')?.type === 'identifier' ? outer.parent.childForFieldName('left')?.text : undefined;
    requests.push({ ...request, line: call.startPosition.row + 1, node: call, scope: scopeOf(call), ...(assigned === undefined ? {} : { variable: assigned }) });
  }
  for (const node of root.descendantsOfType(['comparison_operator', 'call'])) {
    if (node === null) continue;
    const assertion = statusAssertion(node);
    if (assertion === undefined) continue;
    let subject = assertion.subject;
    while (subject.type === 'await' || subject.type === 'parenthesized_expression') subject = childrenOf(subject)[0] ?? subject;
    const scope = scopeOf(node);
    const request =
      subject.type === 'call'
        ? requests.find((candidate) => candidate.node.id === subject.id)
        : requests.filter((candidate) => candidate.variable === subject.text && candidate.scope === scope && candidate.node.startIndex < node.startIndex).at(-1);
    if (request === undefined || request.expected !== undefined) continue;
    request.expected = assertion.status;
    request.expectedLine = node.startPosition.row + 1;
  }
  return requests.map(({ node: _node, variable: _variable, scope: _scope, ...request }) => request);
}
