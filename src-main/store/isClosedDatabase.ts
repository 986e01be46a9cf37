/** better-sqlite3's error for a call after `close()`: work that ends after the app closed meets it. */
export function isClosedDatabase(error: unknown): boolean {
  return error instanceof TypeError && /database connection is not open/.test(error.message);
}
