/**
 * The folder holding package.json, resources/ and out/: two levels above this module. Paths the
 * CLI computes from here also hold when it runs from its bundle (out/cli/*.js is two levels down
 * too), which a path counted from a deeper source file (src-main/cli/commands/) would not.
 */
export const repositoryRootUrl = new URL('../../', import.meta.url);
