/**
 * One argument as a POSIX shell reads it back unchanged: in double quotes when nothing in it is
 * special there (`"Edge firewall"`, what people expect to read), else in single quotes (nothing
 * is special inside; a single quote is closed, escaped and reopened). A project name or a path
 * the user typed is then safe to copy into a shell.
 */
export function shellQuote(value: string): string {
  if (!/[$`"\\!\n\r]/.test(value)) return `"${value}"`;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
