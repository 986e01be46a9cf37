// getBuiltinModule, not an ESM import: the import's facade reads node:http's lazy undici getters (loads fetch) at every start.
const { STATUS_CODES } = process.getBuiltinModule('node:http');
import type { ProviderErrorKind } from './ProviderError.ts';

/**
 * Words for provider failures: what happened, with the status and the server's own text, and
 * what to do. One message serves the CLI and the UI, so it carries no errno codes and no CLI
 * flags. Keys are scrubbed where the message becomes a ProviderError.
 */

/** The most of a server's text quoted in a message. */
export const maxQuotedChars = 200;

/**
 * Terminal escape sequences whole (CSI `ESC [ … m`, OSC `ESC ] … BEL`, 8-bit CSI, two-character
 * escapes): removing only their control characters would leave "[31m" or "]0;title" in the words.
 */
const terminalSequences = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[@-Z\\-_]/g;

/**
 * The single place where text from a provider (an error body, a web page from a proxy) becomes
 * part of a message: a web page is reduced to its text, control characters go, whitespace runs
 * become one space, and it is cut to `max` characters.
 */
export function providerText(raw: string, max = maxQuotedChars): string {
  const head = raw.slice(0, 20_000);
  const text = looksLikeHtml(head)
    ? head
        .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/&nbsp;/g, ' ')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
    : head;
  const clean = text
    .replace(terminalSequences, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body|<title|<h1|<center|<\?xml)/i.test(text);
}

/** "502 Bad Gateway": the status with its standard reason phrase. */
export function statusWords(status: number): string {
  const phrase = STATUS_CODES[status];
  return phrase ? `${status} ${phrase}` : String(status);
}

/** What the user can do about a failure of this kind (no errno codes, no CLI flags). */
export function adviceFor(kind: ProviderErrorKind): string {
  switch (kind) {
    case 'auth':
      return 'Update the key in Providers (or check that the account may use this model).';
    case 'rate-limited':
      return 'The provider limits how often it may be called: wait a little, or lower the rate limits set for it in Providers.';
    case 'conflict':
    case 'request-timeout':
      return 'Try again.';
    case 'server':
      return 'The fault is on the server side: try again later, or choose another provider.';
    case 'timeout':
      return 'The server may be overloaded or loading the model: try again, or raise the provider’s timeouts in Providers.';
    case 'connection':
      return 'Is the server running, and is its address in Providers right?';
    case 'bad-request':
      return 'The server refused the request as sent: check the model name and the provider’s type in Providers.';
    case 'not-found':
      return 'Check the model name and the address in Providers.';
    case 'context-length':
      return 'Choose a model with a larger context window, or shorten the input.';
    case 'invalid-output':
      return 'Try again, or choose a stronger model for this task.';
    case 'cancelled':
      return '';
    case 'unavailable':
      return 'Finish the provider’s setup in Providers.';
    default:
      return kind satisfies never;
  }
}

/** Errno and undici codes as words. */
export function connectionWords(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'ENOTFOUND':
      return 'the host name was not found';
    case 'EAI_AGAIN':
      return 'the host name could not be looked up';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connecting took too long';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return 'the network cannot reach it';
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'the connection broke off';
    default:
      return 'the connection failed';
  }
}

/**
 * A TLS certificate check that failed (Node's codes), in words: "its certificate is self-signed";
 * undefined for any other code.
 */
export function certificateWords(code: string): string | undefined {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'its certificate is self-signed, and this computer does not trust it';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_UNTRUSTED':
    case 'CERT_SIGNATURE_FAILURE':
      return 'its certificate is signed by an authority this computer does not trust';
    case 'CERT_HAS_EXPIRED':
      return 'its certificate has expired';
    case 'CERT_NOT_YET_VALID':
      return 'its certificate is not valid yet';
    case 'CERT_REVOKED':
      return 'its certificate has been revoked';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'its certificate is made out for another host name';
    default:
      return undefined;
  }
}

/** What to do about a certificate that was refused: trust it where it is one's own, else have it fixed. */
export function certificateAdvice(code: string): string {
  return /SELF_SIGNED|UNABLE_TO|UNTRUSTED|SIGNATURE_FAILURE/.test(code)
    ? 'If the server is yours (or your organisation’s), add its certificate or the authority that signed it to those this computer trusts; otherwise check its address in Providers.'
    : 'The certificate has to be fixed on the server, or the address in Providers names another server.';
}

/** The prompt size and window a context-length complaint states, where it states them. */
export function contextNumbers(text: string): { prompt?: number; window?: number } {
  const patterns: { re: RegExp; prompt: number; window: number }[] = [
    { re: /maximum context length is (\d+) tokens[\s\S]*?resulted in (\d+) tokens/i, prompt: 2, window: 1 }, // OpenAI, vLLM
    { re: /request \((\d+) tokens\) exceeds the available context size \((\d+) tokens\)/i, prompt: 1, window: 2 }, // llama.cpp server
    { re: /prompt is too long: (\d+) tokens > (\d+)/i, prompt: 1, window: 2 }, // Anthropic
    { re: /input prompt \((\d+) tokens\) is too long and exceeds limit of (\d+)/i, prompt: 1, window: 2 }, // vLLM
    { re: /the prompt is (\d+) tokens but \S+ runs with a (\d+)-token context/i, prompt: 1, window: 2 }, // our llama.cpp adapter
  ];
  for (const { re, prompt, window } of patterns) {
    const match = re.exec(text);
    if (match) return { prompt: Number(match[prompt]), window: Number(match[window]) };
  }
  return {};
}

/** The message for a prompt that does not fit: the numbers when the server gave them, else its words. */
export function contextLengthMessage(serverText: string, status: number | undefined): string {
  const { prompt, window } = contextNumbers(serverText);
  const what =
    prompt !== undefined && window !== undefined
      ? `the prompt has ${prompt.toLocaleString('en-US')} tokens, the model's context window is ${window.toLocaleString('en-US')}`
      : `the prompt does not fit the model's context window (${providerText(serverText)})`;
  return `${status !== undefined ? `${statusWords(status)}: ` : ''}${what}. ${adviceFor('context-length')}`;
}
