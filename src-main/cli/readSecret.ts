import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../../src-shared/AppError.ts';
import type { CliIo } from './CliIo.ts';

/** A terminal's input: raw mode is what turns its echo off. */
type TerminalInput = NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?: (mode: boolean) => unknown };

/** Far above any key; a stream that never ends a line cannot fill memory. */
const maxSecretLength = 16 * 1024;

/**
 * Asks for a secret (an API key) and reads it without showing it. On a terminal, the input is
 * put in raw mode, which turns the terminal's own echo off, and the characters are read here:
 * nothing is written back (not even '*'), Backspace and Ctrl+U edit, Enter or Ctrl+D finish,
 * Ctrl+C cancels, escape sequences (arrow keys, bracketed-paste markers) are dropped, and a
 * paste arrives whole. The terminal is restored on every way out (done, cancel, stream end,
 * SIGTERM/SIGHUP). Not a terminal (a pipe): the first line of the input is the secret.
 * readline's muting hooks are not used: their echo suppression depends on internals
 * (`_writeToOutput`) that Node 24 no longer calls, so the key was shown as typed.
 * Resolves with the secret as entered (trimmed); an empty string when nothing was entered.
 */
export function readSecret(io: CliIo, prompt: string): Promise<string> {
  const input = io.stdin as TerminalInput;
  const terminal = input.isTTY === true && typeof input.setRawMode === 'function';
  return new Promise<string>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const wasRaw = input.isRaw === true;
    let secret = '';
    let escape: 'none' | 'esc' | 'csi' | 'ss3' = 'none';
    let finished = false;

    const finish = (error?: AppError): void => {
      if (finished) return;
      finished = true;
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
      if (terminal) input.setRawMode?.(wasRaw);
      input.pause();
      if (terminal) io.stderr.write('\n');
      if (error) reject(error);
      else resolve(secret.trim());
    };

    const cancelled = (): AppError => new AppError('CANCELLED', 'Cancelled: no key was entered, nothing was changed');

    const onTerminalChar = (char: string): boolean => {
      const code = char.codePointAt(0) ?? 0;
      if (escape === 'esc') {
        escape = char === '[' ? 'csi' : char === 'O' ? 'ss3' : 'none';
        return false;
      }
      if (escape === 'csi') {
        // Parameters and intermediates until the final byte (0x40-0x7e).
        if (code >= 0x40 && code <= 0x7e) escape = 'none';
        return false;
      }
      if (escape === 'ss3') {
        escape = 'none';
        return false;
      }
      switch (char) {
        case '\r':
        case '\n':
        case '\u0004': // Ctrl+D
          finish();
          return true;
        case '\u0003': // Ctrl+C
          finish(cancelled());
          return true;
        case '\u007f':
        case '\b':
          secret = [...secret].slice(0, -1).join('');
          return false;
        case '\u0015': // Ctrl+U
          secret = '';
          return false;
        case '\u001b':
          escape = 'esc';
          return false;
        default:
          if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0) && secret.length < maxSecretLength) secret += char;
          return false;
      }
    };

    const onPipedChar = (char: string): boolean => {
      if (char === '\n') {
        finish();
        return true;
      }
      if (char !== '\r' && secret.length < maxSecretLength) secret += char;
      return false;
    };

    function onData(chunk: Buffer | string): void {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      for (const char of text) {
        if (finished || (terminal ? onTerminalChar(char) : onPipedChar(char))) return;
      }
    }
    function onEnd(): void {
      finish();
    }
    function onError(): void {
      finish(cancelled());
    }
    function onSignal(): void {
      finish(cancelled());
    }

    // Echo goes off before the prompt shows: whatever is typed or pasted once it is visible stays hidden.
    if (terminal) input.setRawMode?.(true);
    if (prompt) io.stderr.write(prompt);
    process.once('SIGTERM', onSignal);
    process.once('SIGHUP', onSignal);
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    input.resume();
    if ((input as { readableEnded?: boolean }).readableEnded === true) finish();
  });
}
