/**
 * Something between project files (or between the plan and a file) that cannot work. The
 * pipeline turns each into a fix prompt for `path`, so `message` says what is wrong and what
 * the plan promised, with the values.
 */
export interface ConsistencyFinding {
  /** The file to fix. */
  path: string;
  line: number;
  /**
   * `missing-module`/`missing-symbol`: an import of a project module or name that is not there
   * (guarded imports whose fallback cannot stand in included); `relative-import`: a relative
   * import in a module that is not inside a package when it runs; `route`: a promised endpoint
   * no route serves with that method; `status`: a route's success status differs from the
   * plan's; `test-route`/`test-status`: a test requests a route nobody serves, or expects a
   * status that contradicts the plan or the route; `undeclared-package`: a third-party import
   * no manifest declares (one finding on the manifest, one on the importing file).
   */
  kind: 'missing-module' | 'missing-symbol' | 'relative-import' | 'route' | 'status' | 'test-route' | 'test-status' | 'undeclared-package';
  /** The module as written, the imported name, the endpoint (`DELETE /rules/{id}`), or the undeclared package. */
  target: string;
  message: string;
}
