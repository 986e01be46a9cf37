/**
 * Small probes the sandbox puts beside the project (in /sandbox/tools, never in the project) so
 * that a run stopped by a limit can say which test was running. Each writes into the run's out
 * folder, in the volume, so the files outlive a killed container:
 *
 *   running.json   {"runner": ..., "tests": [{"name", "file", "line"}]}: tests started and not
 *                  finished; removed when the last one finishes
 *   stacks.txt     (pytest) the latest dump of every thread's Python stack, made by the stdlib's
 *                  faulthandler every few seconds while one test runs (the dump is written by a C
 *                  watchdog thread, so a busy loop holding the interpreter is seen too)
 *
 * pytest loads its probe as a plugin (`-p`, from PYTHONPATH); `node --test` as its JUnit
 * reporter. A test can tamper with these files, which only misreports its own runaway.
 */

/** Module name of the pytest probe (`-p <name>`); unusual, so it cannot shadow a project module. */
export const pytestProbeModule = 'service_creator_sandbox_probe';

export const pytestProbeSource = `"""service-creator sandbox probe: which test is running, and its stack, for a run stopped by a limit."""
import faulthandler
import json
import os

_out = os.environ.get("SANDBOX_OUT", "/sandbox/out")
_interval = float(os.environ.get("SANDBOX_STACKS_INTERVAL", "5"))
_running = os.path.join(_out, "running.json")
_stacks_path = os.path.join(_out, "stacks.txt")
_stacks = None


def _write(tests):
    tmp = _running + ".tmp"
    try:
        with open(tmp, "w") as f:
            json.dump({"runner": "pytest", "tests": tests}, f)
        os.replace(tmp, _running)
    except OSError:
        pass


def _arm():
    # A fresh file per test: only the stacks of the test now running are kept.
    global _stacks
    _disarm()
    try:
        _stacks = open(_stacks_path, "w")
        faulthandler.dump_traceback_later(_interval, repeat=True, file=_stacks)
    except (OSError, ValueError):
        _stacks = None


def _disarm():
    global _stacks
    faulthandler.cancel_dump_traceback_later()
    if _stacks is not None:
        _stacks.close()
        _stacks = None


def _clear():
    try:
        os.remove(_running)
    except OSError:
        pass


def pytest_sessionstart(session):
    _write([{"name": "(collecting tests)"}])
    _arm()


def pytest_collection_finish(session):
    _disarm()
    _clear()


def pytest_runtest_logstart(nodeid, location):
    path, line, _name = location
    test = {"name": nodeid, "file": path}
    if isinstance(line, int):
        test["line"] = line + 1
    _write([test])
    _arm()


def pytest_runtest_logfinish(nodeid, location):
    _disarm()
    _clear()
`;

/** File name of the node reporter in the tools folder. */
export const nodeProbeFile = 'service-creator-probe.mjs';

/**
 * A `node --test` reporter that writes Node's own JUnit report (node:test/reporters) while it
 * records the tests started and not finished: one reporter for both, since a third reporter
 * makes Node warn about too many listeners in every run's log. Test files run in child processes
 * whose events reach the parent when the child's event loop turns: a test stuck in a busy loop
 * shows as its file only.
 */
export const nodeProbeSource = `import { rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { junit } from 'node:test/reporters';

const out = process.env.SANDBOX_OUT ?? '/sandbox/out';
const running = join(out, 'running.json');

export default async function* probe(source) {
  const started = new Map();
  const save = () => {
    try {
      if (started.size === 0) return rmSync(running, { force: true });
      writeFileSync(running + '.tmp', JSON.stringify({ runner: 'node', tests: [...started.values()] }));
      renameSync(running + '.tmp', running);
    } catch {}
  };
  async function* watched() {
    for await (const event of source) {
      const data = event.data ?? {};
      const key = [data.file, data.line, data.column, data.nesting, data.name].join(':');
      if (event.type === 'test:dequeue') {
        started.set(key, { name: String(data.name ?? ''), file: data.file, line: data.line, nesting: data.nesting });
        save();
      } else if (event.type === 'test:complete') {
        started.delete(key);
        save();
      }
      yield event;
    }
  }
  yield* junit(watched());
}
`;

/** Seconds between stack dumps while one test runs: about 20 dumps in the run's time limit, 0.5 to 30 s apart. */
export function stacksIntervalSeconds(timeoutMs: number): number {
  return Math.max(0.5, Math.min(30, Math.round(timeoutMs / 20 / 100) / 10));
}
