import { isBuiltin } from 'node:module';

/** Names a project's package.json declares: dependencies of every kind, `@types/x` counting as `x`. */
export function declaredNpmPackages(packageJson: string | undefined): Set<string> {
  const names = new Set<string>();
  if (packageJson === undefined) return names;
  let document: unknown;
  try {
    document = JSON.parse(packageJson);
  } catch {
    return names;
  }
  if (typeof document !== 'object' || document === null) return names;
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const table = (document as Record<string, unknown>)[key];
    if (typeof table !== 'object' || table === null) continue;
    for (const name of Object.keys(table)) {
      names.add(name);
      const typed = /^@types\/(?:([^_/]+)__)?([^/]+)$/.exec(name);
      if (typed?.[2] !== undefined) names.add(typed[1] === undefined ? typed[2] : `@${typed[1]}/${typed[2]}`);
    }
  }
  return names;
}

const quote = (name: string) => JSON.stringify(name);

/**
 * Ambient declarations that stand in for what the sandbox has and the checker does not: test
 * runners' globals and the packages the project declares (not installed here), all typed `any`.
 * Node's globals and built-in modules are not stood in for: the checker reads @types/node (a
 * declared npm package named like a built-in, `events`, gets its types from there too). A
 * package nobody declares gets no such line, so importing it is still an error (TS2307), which
 * is the point.
 */
export function typeScriptPrelude(declared: ReadonlySet<string>): string {
  const lines = [
    // Test runners' globals (jest, mocha, vitest with globals): undeclared they fail in the sandbox anyway.
    ...['describe', 'it', 'test', 'expect', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll', 'jest', 'vi'].map((name) => `declare var ${name}: any;`),
    ...[...declared].filter((name) => !isBuiltin(name)).flatMap((name) => [`declare module ${quote(name)};`, `declare module ${quote(`${name}/*`)};`]),
  ];
  return `${lines.join('\n')}\n`;
}
