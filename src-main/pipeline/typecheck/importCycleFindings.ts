/** One finding of an import cycle, on one file in it (`line`: its import of the next file, else 1). */
export interface ImportCycleFinding {
  path: string;
  line: number;
  message: string;
}

/** `app/validation.py` → the ways another module imports it: `app.validation`, and `.validation` for a neighbour. */
function importLine(content: string, target: string): number {
  const dotted = target
    .replace(/\.pyi?$/, '')
    .replace(/\/__init__$/, '')
    .split('/');
  const name = dotted.at(-1) ?? '';
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const full = escape(dotted.join('.'));
  const pattern = new RegExp(`^\\s*(from\\s+(${full}|\\.+${escape(name)}|\\.+)\\s+import\\b|import\\s+${full}\\b)`);
  const index = content.split('\n').findIndex((line) => pattern.test(line));
  return index < 0 ? 1 : index + 1;
}

/**
 * pyright reports an import cycle once, on one file, with the chain as project paths on the
 * lines after its first ("Cycle detected in import chain\n  app/a.py\n  app/b.py"); the file to
 * change may be any in the chain (the one that imports what it should not), so every project file
 * in it gets the same finding naming the whole cycle, at its import of the next file. The cycle
 * is written from its first path in sort order so the same cycle reported from two files reads
 * the same (and is stored once).
 */
export function importCycleFindings(message: string, contents: ReadonlyMap<string, string>): ImportCycleFinding[] {
  const chain = message
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => contents.has(line));
  const members = [...new Set(chain)];
  if (members.length === 0) return [];
  const start = members.indexOf([...members].sort()[0] ?? '');
  const cycle = [...members.slice(start), ...members.slice(0, start)];
  const text = `import cycle: ${[...cycle, cycle[0]].join(' → ')}: each file imports the next, so importing any of them fails at run time (a partially initialised module); break the cycle (move what both need into a module that imports neither, or drop the import that is not needed)`;
  return cycle.map((path, position) => {
    const next = cycle[(position + 1) % cycle.length] ?? path;
    return {
      path,
      line: importLine(contents.get(path) ?? '', next),
      message: text,
    };
  });
}
