import { parentPort, workerData } from 'node:worker_threads';
import { useDeclarationsFrom } from './typeDeclarationsDir.ts';
import { checkTypeScriptProject } from './checkTypeScriptProject.ts';
import type { TypeScriptCheckReply, TypeScriptCheckRequest } from './TypeScriptChecker.ts';

/**
 * The TypeScript check's thread: the compiler, the parsed lib files and Node's parsed type
 * declarations (@types/node) stay loaded here between checks (typeScriptCompilerHost caches them
 * per thread), and the app's event loop never waits on a check. One request at a time; the owner terminates the thread to stop one.
 */
useDeclarationsFrom((workerData as { declarationsDir?: string } | null)?.declarationsDir);

parentPort?.on('message', (request: TypeScriptCheckRequest) => {
  let reply: TypeScriptCheckReply;
  try {
    reply = { id: request.id, findings: checkTypeScriptProject(request.files, { pending: request.pending, timeoutMs: request.timeoutMs }) };
  } catch (error) {
    const failure = error as { name?: string; reason?: string; message?: string };
    reply = { id: request.id, error: { name: failure.name ?? 'Error', reason: failure.reason, message: failure.message ?? String(error) } };
  }
  parentPort?.postMessage(reply);
});
