/**
 * One diagnostic of the project-wide type check, on a project file: `line` is 1-based, `message`
 * carries the checker's exact text, `rule` its rule or code (`reportCallIssue`, `TS2554`).
 */
export interface ProjectFinding {
  path: string;
  line: number;
  message: string;
  rule: string;
}
