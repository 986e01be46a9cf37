import type { FileProblem } from './FileProblem.ts';
import { maxSyntaxProblems } from './treeSyntaxProblems.ts';

const instructions = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);
/** Instructions whose argument may be a JSON array ("exec form"). */
const execForm = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'COPY', 'ADD']);

interface Instruction {
  line: number;
  keyword: string;
  args: string;
}

/** Splits the file into logical instructions: comments dropped, continuations joined, heredoc bodies skipped. */
function readInstructions(content: string, problems: FileProblem[], path: string): Instruction[] {
  const lines = content.split(/\r?\n/);
  let escape = '\\';
  let index = 0;
  // Parser directives (`# syntax=...`, `# escape=...`) only count before anything else.
  for (; index < lines.length; index++) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[index] ?? '');
    if (directive === null) break;
    if (directive[1]?.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) escape = directive[2];
  }
  const result: Instruction[] = [];
  while (index < lines.length) {
    const first = lines[index] ?? '';
    const start = index;
    index++;
    if (first.trim() === '' || first.trim().startsWith('#')) continue;
    let text = first.trimEnd();
    while (text.endsWith(escape)) {
      text = text.slice(0, -escape.length);
      // Comment and empty lines inside a continued instruction are skipped by Docker.
      while (index < lines.length && /^\s*(#.*)?$/.test(lines[index] ?? '')) index++;
      if (index >= lines.length) {
        problems.push({ path, rule: 'syntax', line: start + 1, message: `line ${start + 1}: the file ends inside an instruction continued with '${escape}'` });
        break;
      }
      text += ` ${(lines[index] ?? '').trim()}`;
      index++;
    }
    const match = /^\s*(\S+)(?:\s+(.*))?$/.exec(text);
    if (match === null) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').trim();
    result.push({ line: start + 1, keyword, args });
    // Heredocs (`RUN <<EOF ... EOF`): skip their bodies, which are not instructions.
    for (const heredoc of args.matchAll(/<<(-?)\s*(["']?)([A-Za-z_][\w.-]*)\2/g)) {
      const stripTabs = heredoc[1] === '-';
      const terminator = heredoc[3] ?? '';
      while (index < lines.length && (stripTabs ? (lines[index] ?? '').replace(/^\t+/, '') : (lines[index] ?? '')).trimEnd() !== terminator) index++;
      if (index >= lines.length) problems.push({ path, rule: 'syntax', line: start + 1, message: `line ${start + 1}: heredoc '${terminator}' is never closed` });
      index++;
    }
  }
  return result;
}

function checkInstruction(instruction: Instruction, previous: Instruction | undefined): string | undefined {
  const { keyword, args } = instruction;
  if (!instructions.has(keyword)) {
    const hint = previous?.keyword === 'RUN' ? ` (if it continues the RUN on line ${previous.line}, that line needs a trailing '\\')` : '';
    return `unknown instruction '${keyword}'${hint}`;
  }
  if (args === '') return `${keyword} has no arguments`;
  if (execForm.has(keyword) && args.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(args);
    } catch {
      return `${keyword} ${args} looks like exec form but is not a JSON array of double-quoted strings; Docker would run it as a shell command`;
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) return `${keyword} exec form must be a JSON array of strings, got ${args}`;
    if ((keyword === 'COPY' || keyword === 'ADD') && parsed.length < 2) return `${keyword} needs a source and a destination, got ${args}`;
    return undefined;
  }
  if (keyword === 'SHELL') return `SHELL must be a JSON array such as ["/bin/bash", "-c"], got ${args}`;
  if ((keyword === 'COPY' || keyword === 'ADD') && !args.includes('<<')) {
    const operands = args.split(/\s+/).filter((token) => !token.startsWith('--'));
    if (operands.length < 2) return `${keyword} needs a source and a destination, got '${args}'`;
  }
  if (keyword === 'EXPOSE') {
    const bad = args.split(/\s+/).find((port) => !port.includes('$') && !/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(port));
    if (bad !== undefined) return `EXPOSE takes ports such as 8000 or 8000/tcp, got '${bad}'`;
  }
  return undefined;
}

/**
 * A line-based Dockerfile check (no Dockerfile grammar ships with our tree-sitter build): known
 * instructions only, FROM first (ARG may come before it), every instruction has arguments,
 * continuation lines and heredocs are joined or skipped, exec forms are valid JSON (Docker runs
 * a malformed `CMD ["a", 'b']` through the shell, which fails only at run time), COPY/ADD have a
 * source and a destination, EXPOSE takes ports.
 */
export function checkDockerfileSyntax(path: string, content: string): FileProblem[] {
  const problems: FileProblem[] = [];
  const list = readInstructions(content, problems, path);
  const firstReal = list.find((instruction) => instruction.keyword !== 'ARG');
  if (firstReal === undefined) problems.push({ path, rule: 'syntax', message: 'no FROM instruction: a Dockerfile must start with FROM (only ARG may come before it)' });
  else if (firstReal.keyword !== 'FROM') {
    problems.push({ path, rule: 'syntax', line: firstReal.line, message: `line ${firstReal.line}: the first instruction is ${firstReal.keyword}, but a Dockerfile must start with FROM (only ARG may come before it)` });
  }
  let previous: Instruction | undefined;
  for (const instruction of list) {
    if (problems.length >= maxSyntaxProblems) break;
    const message = checkInstruction(instruction, previous);
    if (message !== undefined) problems.push({ path, rule: 'syntax', line: instruction.line, message: `line ${instruction.line}: ${message}` });
    previous = instruction;
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
