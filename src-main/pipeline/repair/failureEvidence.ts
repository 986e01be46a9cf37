/**
 * What a failure's text says, read the way a developer reads it: the project frames of its
 * tracebacks (innermost first), the module it could not import, and the values an assertion
 * compared. Pure text parsing over output written by untrusted code: bounded regular expressions,
 * no evaluation.
 */

export interface Frame {
  /** A project path (plan path). */
  path: string;
  line?: number;
  fn?: string;
}

/** Where the sandbox mounts the project; also stripped from host-like absolute paths by suffix. */
const projectRoot = '/sandbox/project/';

/** `File "app/x.py", line 3, in f` (traceback) and `File "app/x.py", line 3 in f` (faulthandler). */
const pythonFrame = /^\s*File "([^"\n]{1,500})", line (\d{1,7}),? in ([\w<>.]{1,200})/;
/** pytest's long format: `app/store.py:9: in add`, `tests/test_api.py:10: AssertionError`. */
const pytestFrame = /^([^\s:"]{1,500}\.py):(\d{1,7}): (?:in ([\w<>.]{1,200}))?/;
/** Node: `at fn (/sandbox/project/src/x.js:10:5)`, `at file:///sandbox/project/src/x.js:10:5`. */
const nodeFrame = /^\s*at (?:(.{1,200}?) \()?(?:file:\/\/)?([^\s()]{1,500}?):(\d{1,7}):\d{1,7}\)?\s*$/;

/** A path as the project knows it, or undefined when it is not a project file. */
export function toProjectPath(raw: string, paths: ReadonlySet<string>): string | undefined {
  let path = raw.replace(/^file:\/\//, '');
  if (path.startsWith(projectRoot)) path = path.slice(projectRoot.length);
  path = path.replace(/^\.\//, '');
  if (paths.has(path)) return path;
  if (!path.startsWith('/')) return undefined;
  // An absolute path elsewhere (a host run): the longest project path it ends with.
  let best: string | undefined;
  for (const candidate of paths) if (path.endsWith(`/${candidate}`) && (best === undefined || candidate.length > best.length)) best = candidate;
  return best;
}

/**
 * The project frames of the tracebacks in `text`, innermost first, each path once (at its
 * innermost place). Python tracebacks list the innermost call last, unless they say "most recent
 * call first" (faulthandler); Node stacks list it first.
 */
export function projectFrames(text: string, paths: ReadonlySet<string>): Frame[] {
  const ordered = allFrames(text, paths).flatMap((frame) => (frame.path ? [{ path: frame.path, ...(frame.line ? { line: frame.line } : {}), ...(frame.fn ? { fn: frame.fn } : {}) }] : []));
  return ordered.filter((frame, index) => ordered.findIndex((other) => other.path === frame.path) === index);
}

/** Whether the innermost frame of the failing traceback, library frames included, is in this project file. */
export function raisedIn(text: string, paths: ReadonlySet<string>): string | undefined {
  return allFrames(text, paths)[0]?.path;
}

interface AnyFrame {
  /** The project path, undefined for a library or runtime frame. */
  path: string | undefined;
  raw: string;
  line: number;
  fn?: string;
}

/** Every frame, innermost first, the failing (last) traceback before earlier ones. */
function allFrames(text: string, paths: ReadonlySet<string>): AnyFrame[] {
  const blocks: { frames: AnyFrame[]; dump: boolean }[] = [];
  let block: AnyFrame[] = [];
  let innermostFirst = false;
  const close = () => {
    if (block.length > 0) blocks.push({ frames: innermostFirst ? block : block.reverse(), dump: innermostFirst });
    block = [];
  };
  for (const line of text.split('\n')) {
    if (/most recent call first/.test(line)) {
      close();
      innermostFirst = true;
      continue;
    }
    if (/most recent call last/.test(line)) {
      close();
      innermostFirst = false;
      continue;
    }
    const python = pythonFrame.exec(line) ?? pytestFrame.exec(line);
    if (python) {
      const last = block.at(-1);
      // pytest ends with `app/store.py:10: AttributeError`, the frame it already showed as `in add`.
      if (python[3] === undefined && last !== undefined && last.raw === python[1] && last.line === Number(python[2])) continue;
      block.push({ path: toProjectPath(python[1]!, paths), raw: python[1]!, line: Number(python[2]), ...(python[3] ? { fn: python[3] } : {}) });
      continue;
    }
    const node = nodeFrame.exec(line);
    if (node) {
      if (!innermostFirst && block.length === 0) innermostFirst = true;
      block.push({ path: toProjectPath(node[2]!, paths), raw: node[2]!, line: Number(node[3]), ...(node[1] ? { fn: node[1] } : {}) });
    }
  }
  close();
  // The last traceback is the one that failed (earlier ones are "during handling of ..." causes).
  // In a dump of every thread's stack, a thread busy in project code comes before one waiting in
  // a library (a test waiting for the server thread that loops).
  const busy = (entry: (typeof blocks)[number]) => (entry.dump && entry.frames[0]?.path !== undefined ? 1 : 0);
  return blocks
    .reverse()
    .sort((a, b) => busy(b) - busy(a))
    .flatMap((entry) => entry.frames);
}

/** A module the failure could not import: Python's or Node's words for it. */
export interface MissingModule {
  runtime: 'python' | 'node';
  /** As written in the import (`yaml`, `google.protobuf`, `@scope/pkg/sub`). */
  module: string;
  /** The error line, for the evidence. */
  said: string;
}

export function missingModules(text: string): MissingModule[] {
  const found: MissingModule[] = [];
  for (const match of text.matchAll(/ModuleNotFoundError: No module named '([\w.]{1,200})'/g)) found.push({ runtime: 'python', module: match[1]!, said: match[0] });
  for (const match of text.matchAll(/Cannot find (?:module|package) '([^'\s]{1,200})'/g)) found.push({ runtime: 'node', module: match[1]!, said: match[0] });
  return found.filter((item, index) => found.findIndex((other) => other.runtime === item.runtime && other.module === item.module) === index);
}

/** The values an equality assertion compared: pytest's `assert 200 == 201`, Node's `200 !== 201`. */
export interface Comparison {
  actual: string;
  expected: string;
}

export function comparisons(text: string): Comparison[] {
  const found: Comparison[] = [];
  for (const match of text.matchAll(/assert (\S{1,100}) == (\S{1,100})\s*$/gm)) found.push({ actual: match[1]!, expected: match[2]! });
  for (const match of text.matchAll(/^\s*(\S{1,100}) !== (\S{1,100})\s*$/gm)) found.push({ actual: match[1]!, expected: match[2]! });
  return found;
}

/**
 * The lines that state the error (pytest's `E   ...` lines, a traceback's last line, Node's
 * message), without the echoed source and the frames: names in them are what the failure is about.
 */
export function errorLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => /^E\s/.test(line) || (/^\S/.test(line) && !pytestFrame.test(line) && !/^(Traceback|During handling|The above exception|_{3,}|[_ ]{5,}$)/.test(line)))
    .map((line) => line.replace(/^E\s+/, ''))
    .join('\n');
}
