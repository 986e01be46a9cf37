import { StringDecoder } from 'node:string_decoder';
import type { CliIo, CliStream } from './CliIo.ts';
import { safeTerminalText } from './safeTerminalText.ts';

/**
 * The io every command gets: its stdout and stderr pass each write through safeTerminalText,
 * so no command can print a path, a model's text, a server's message or a test log raw by
 * mistake (an escape sequence in them would clear the screen or retitle the window). Doing it
 * on the streams, not at each print, covers the places that write directly too (streamed chat,
 * test logs, commander's messages). The streams as given stay in `raw`, for the app's own
 * control sequences only: progress bars and the line editor of prompts, which are fed no
 * untrusted text unescaped. Every other property of a stream (isTTY, columns, its events) is the
 * stream's own.
 */
export function terminalSafeIo(io: CliIo): CliIo {
  if (io.raw) return io;
  return { ...io, stdout: safeStream(io.stdout), stderr: safeStream(io.stderr), raw: { stdout: io.stdout, stderr: io.stderr } };
}

/** The streams that pass control sequences through: `raw` of a terminal-safe io, else its own. */
export function rawStreams(io: CliIo): { stdout: CliStream; stderr: CliStream } {
  return io.raw ?? io;
}

function safeStream<S extends CliStream>(stream: S): S {
  const decoder = new StringDecoder('utf8');
  // A CR that ends a write may be the first half of a CRLF split across two writes.
  let heldCr = false;
  const write = (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
    const done = (typeof encoding === 'function' ? encoding : callback) as ((error?: Error | null) => void) | undefined;
    let text = (heldCr ? '\r' : '') + (typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk)));
    heldCr = text.endsWith('\r');
    if (heldCr) text = text.slice(0, -1);
    return stream.write(safeTerminalText(text), done);
  };
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
