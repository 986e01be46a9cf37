import type { SandboxLanguage } from '../../src-shared/sandbox/sandboxTypes.ts';
import { nodeProbeFile, pytestProbeModule } from './progressProbes.ts';

/** Where things are inside a sandbox container. The volume is mounted at `root`. */
export const sandboxPaths = {
  root: '/sandbox',
  project: '/sandbox/project',
  out: '/sandbox/out',
  report: '/sandbox/out/junit.xml',
  /** The probes that say which test was running when a limit stopped the run (progressProbes.ts). */
  tools: '/sandbox/tools',
  running: '/sandbox/out/running.json',
  stacks: '/sandbox/out/stacks.txt',
  /** Python packages the install step puts under the volume (pip's user scheme). */
  pythonUserBase: '/sandbox/deps',
  /**
   * Temporary files (TMPDIR) and HOME (pip's cache, tools' dot-files) live in the run's volume,
   * on the engine's disk: in a tmpfs they would count against the memory limit, so a test that
   * only writes a lot (pytest captures output in a temporary file) ended as "out of memory".
   */
  tmp: '/sandbox/tmp',
  home: '/sandbox/home',
} as const;

/**
 * The PID 1 script. It runs the command (`$1`) in a child shell, then prints a trailer on
 * stdout that starts with the run's marker (`$2`, see TrailerSplitter):
 *
 *   \n<marker> pids <N>\n            N: forks the pids limit refused (the pids controller's `max` event count)
 *   <marker> junit\n<the report>      only when the report file exists
 *
 * The counter is read with shell builtins only (`read`, `printf`): when the pids limit is
 * exhausted no new process can start. cgroup v2 (private cgroup namespace) has the file at the
 * top, cgroup v1 under `pids/`. The report is copied with `cat`, or line by line with builtins
 * when `cat` cannot start. The command arrives as an argument, never spliced into this text.
 */
const wrapperScript = [
  'cd "$SANDBOX_PROJECT" || exit 125',
  // The pytest probe also goes into each Python's user site-packages (on the path whatever the
  // command does to PYTHONPATH, e.g. `PYTHONPATH=. pytest`); found by file name, no Python started.
  'if [ -n "$SANDBOX_PY_PROBE" ] && [ -n "$PYTHONUSERBASE" ]; then',
  '  for python in /usr/bin/python3.* /usr/local/bin/python3.*; do',
  '    version=${python##*/python}',
  '    case "$version" in [0-9]*.[0-9]|[0-9]*.[0-9][0-9]) ;; *) continue ;; esac',
  '    mkdir -p "$PYTHONUSERBASE/lib/python$version/site-packages" 2>/dev/null && cp "$SANDBOX_PY_PROBE" "$PYTHONUSERBASE/lib/python$version/site-packages/" 2>/dev/null',
  '  done',
  'fi',
  '/bin/sh -c "$1"',
  'status=$?',
  'refused=0',
  'for f in /sys/fs/cgroup/pids.events /sys/fs/cgroup/pids/pids.events; do',
  '  if [ -r "$f" ]; then',
  '    while read -r key value; do if [ "$key" = max ]; then refused=$value; fi; done < "$f"',
  '    break',
  '  fi',
  'done',
  'printf \'\\n%s pids %s\\n\' "$2" "$refused"',
  'if [ -n "$SANDBOX_REPORT" ] && [ -r "$SANDBOX_REPORT" ]; then',
  '  printf \'%s junit\\n\' "$2"',
  '  cat "$SANDBOX_REPORT" 2>/dev/null || while IFS= read -r line || [ -n "$line" ]; do printf \'%s\\n\' "$line"; done < "$SANDBOX_REPORT"',
  'fi',
  'exit $status',
].join('\n');

/** The shell command (argv) and environment that a sandbox container runs for one step (install or test). */
export interface ContainerScript {
  cmd: string[];
  env: string[];
}

/**
 * The container command and environment for a step.
 *
 * The test step asks for a JUnit report through the tools' own environment variables rather
 * than by rewriting the command, so it also works when the command is `make test`, `npm test`
 * or a script: `PYTEST_ADDOPTS` gives every pytest `--junitxml=<report> -p no:cacheprovider`
 * (the cache provider would write `.pytest_cache`); `NODE_OPTIONS` gives every `node --test`
 * the junit reporter into the report file plus the spec reporter on stdout for the log (Node
 * allows `--test-reporter(-destination)` there, and a node process that is not running tests
 * ignores them). Other runners read `JUNIT_XML`, set for every command.
 *
 * The same variables load the probes from /sandbox/tools (progressProbes.ts): pytest's as a
 * plugin (`-p`, found through PYTHONPATH) with a stack dump every `stacksIntervalS` seconds,
 * node's as the junit reporter (it writes Node's own junit report and watches the events).
 */
export function buildContainerScript(command: string, language: SandboxLanguage, step: 'install' | 'test', marker: string, options: { stacksIntervalS?: number } = {}): ContainerScript {
  const env = [
    `HOME=${sandboxPaths.home}`,
    `TMPDIR=${sandboxPaths.tmp}`,
    'CI=true',
    'PYTHONUNBUFFERED=1',
    `PYTHONUSERBASE=${sandboxPaths.pythonUserBase}`,
    'PIP_USER=1',
    'PIP_BREAK_SYSTEM_PACKAGES=1',
    `SANDBOX_PROJECT=${sandboxPaths.project}`,
  ];
  if (step === 'test') {
    env.push(`JUNIT_XML=${sandboxPaths.report}`, `SANDBOX_REPORT=${sandboxPaths.report}`, `SANDBOX_OUT=${sandboxPaths.out}`);
    switch (language) {
      case 'python':
        // PYTHONPATH: a bare `pytest` (unlike `python -m pytest`) does not put the project folder
        // on the import path, and generated tests import the project's packages from its root.
        env.push(
          `PYTEST_ADDOPTS=--junitxml=${sandboxPaths.report} -p no:cacheprovider -p ${pytestProbeModule}`,
          `PYTHONPATH=${sandboxPaths.project}:${sandboxPaths.tools}`,
          `SANDBOX_STACKS_INTERVAL=${options.stacksIntervalS ?? 5}`,
          `SANDBOX_PY_PROBE=${sandboxPaths.tools}/${pytestProbeModule}.py`,
        );
        break;
      case 'node':
        env.push(
          `NODE_OPTIONS=--test-reporter=${sandboxPaths.tools}/${nodeProbeFile} --test-reporter-destination=${sandboxPaths.report} --test-reporter=spec --test-reporter-destination=stdout`,
        );
        break;
      default:
        language satisfies never;
    }
  }
  return { cmd: ['/bin/sh', '-c', wrapperScript, 'sandbox', command, marker], env };
}
