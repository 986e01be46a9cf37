/** Files that are commonly and correctly empty: package markers and placeholders. */
export function mayBeEmpty(path: string): boolean {
  const name = path.split('/').at(-1) ?? '';
  return name === '__init__.py' || name === 'py.typed' || name === '.gitkeep' || name === '.keep';
}
