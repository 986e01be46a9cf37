import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../src-shared/AppError.ts';
import type { TestCase } from '../../src-shared/sandbox/sandboxTypes.ts';

export interface ParseJunitLimits {
  /** Reports larger than this are refused before parsing (characters). */
  maxReportChars: number;
  /** Cases past this many are dropped (the count is in `droppedCases`). */
  maxCases: number;
  maxNameChars: number;
  maxMessageChars: number;
  maxDetailsChars: number;
}

export const defaultParseJunitLimits: ParseJunitLimits = {
  maxReportChars: 16 * 1024 * 1024,
  maxCases: 10_000,
  maxNameChars: 1_000,
  maxMessageChars: 4_000,
  maxDetailsChars: 16_000,
};

export interface ParsedJunit {
  cases: TestCase[];
  /** Cases beyond `maxCases`, counted but not returned. */
  droppedCases: number;
}

type XmlNode = Record<string, unknown>;

const nodeArrays = new Set(['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped']);

/**
 * The report is written by code we do not trust (the generated project's tests), so parsing is
 * bounded: a size cap before parsing, no DOCTYPE (JUnit reports never need one; refusing it
 * rules out entity expansion and external entities whatever the parser's defaults), the
 * parser's own nesting limit, and caps on cases, names, messages and details.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: { enabled: true, maxEntityCount: 0, maxTotalExpansions: 100_000, maxExpandedLength: 16 * 1024 * 1024 },
  htmlEntities: true,
  maxNestedTags: 64,
  isArray: (name) => nodeArrays.has(name),
});

/**
 * Test cases from a JUnit XML report: pytest's (`--junitxml`, xunit2), Node's (`--test-reporter=junit`,
 * suites nested for `describe`), and the generic `testsuites > testsuite > testcase` shape with
 * `failure`, `error` and `skipped` children. A case's name is `classname::name` as the report
 * gives them. Throws INVALID_OUTPUT when the text is not a JUnit report.
 */
export function parseJunit(xml: string, limits: ParseJunitLimits = defaultParseJunitLimits): ParsedJunit {
  if (xml.length > limits.maxReportChars) {
    throw new AppError('INVALID_OUTPUT', `The JUnit report is ${xml.length} characters; the limit is ${limits.maxReportChars}`);
  }
  if (hasDoctype(xml)) throw new AppError('INVALID_OUTPUT', 'The JUnit report has a DOCTYPE declaration, which JUnit reports never need; refused');
  // The parser is lenient (an unclosed element still parses); a report cut short must not read as a pass.
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new AppError('INVALID_OUTPUT', `The JUnit report is not well-formed XML: ${msg} (line ${line}, column ${col})`);
  }
  let document: XmlNode;
  try {
    document = parser.parse(xml) as XmlNode;
  } catch (error) {
    throw new AppError('INVALID_OUTPUT', `The JUnit report is not well-formed XML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const roots = [...nodes(document, 'testsuites'), ...nodes(document, 'testsuite')];
  if (roots.length === 0) throw new AppError('INVALID_OUTPUT', 'The JUnit report has no <testsuites> or <testsuite> element');

  const result: ParsedJunit = { cases: [], droppedCases: 0 };
  // Iterative walk (suites nest, e.g. Node's describe blocks): no recursion on untrusted depth.
  const pending: { node: XmlNode; file: string | undefined }[] = roots.map((node) => ({ node, file: attribute(node, 'file') }));
  for (let index = 0; index < pending.length; index++) {
    const { node, file } = pending[index]!;
    for (const testCase of nodes(node, 'testcase')) {
      if (result.cases.length >= limits.maxCases) result.droppedCases++;
      else result.cases.push(toTestCase(testCase, file, limits));
    }
    for (const suite of nodes(node, 'testsuite')) pending.push({ node: suite, file: attribute(suite, 'file') ?? file });
  }
  return result;
}

function toTestCase(node: XmlNode, suiteFile: string | undefined, limits: ParseJunitLimits): TestCase {
  const name = attribute(node, 'name') ?? '(unnamed)';
  const classname = attribute(node, 'classname');
  const file = attribute(node, 'file') ?? suiteFile;
  const seconds = Number(attribute(node, 'time') ?? '0');
  const [kind, detail] = outcomeOf(node);
  const message = detail ? (attribute(detail, 'message') ?? attribute(detail, 'type')) : undefined;
  const details = detail ? text(detail).trim() : '';
  return {
    name: cap(classname ? `${classname}::${name}` : name, limits.maxNameChars),
    ...(classname ? { classname: cap(classname, limits.maxNameChars) } : {}),
    ...(file ? { file: cap(file, limits.maxNameChars) } : {}),
    status: kind,
    durationMs: Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1_000_000) / 1_000 : 0,
    ...(message ? { message: cap(message, limits.maxMessageChars) } : {}),
    ...(details ? { details: cap(details, limits.maxDetailsChars) } : {}),
  };
}

/** A case fails on `failure`, errors on `error`, is skipped on `skipped`; the first found wins in that order. */
function outcomeOf(node: XmlNode): [TestCase['status'], XmlNode | undefined] {
  const failure = nodes(node, 'failure')[0];
  if (failure) return ['failed', failure];
  const error = nodes(node, 'error')[0];
  if (error) return ['error', error];
  const skipped = nodes(node, 'skipped')[0];
  if (skipped) return ['skipped', skipped];
  return ['passed', undefined];
}

/** Whether the prolog (before the first element) declares a DOCTYPE. */
function hasDoctype(xml: string): boolean {
  let at = 0;
  for (;;) {
    at = xml.indexOf('<', at);
    if (at < 0) return false;
    if (xml.startsWith('<?', at)) at = xml.indexOf('?>', at + 2);
    else if (xml.startsWith('<!--', at)) at = xml.indexOf('-->', at + 4);
    else return xml.slice(at, at + 9).toUpperCase() === '<!DOCTYPE';
    if (at < 0) return false;
  }
}

function nodes(parent: XmlNode, name: string): XmlNode[] {
  const value = parent[name];
  if (!Array.isArray(value)) return [];
  // An element with text only parses to its text, an empty one (`<skipped/>`) to ''.
  return value.map((item: unknown) => (item !== null && typeof item === 'object' ? (item as XmlNode) : { '#text': typeof item === 'string' ? item : '' }));
}

function attribute(node: XmlNode, name: string): string | undefined {
  const value = node[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}

function text(node: XmlNode): string {
  const value = node['#text'];
  return typeof value === 'string' ? value : '';
}

function cap(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}… [${value.length - max} more characters cut]`;
}
