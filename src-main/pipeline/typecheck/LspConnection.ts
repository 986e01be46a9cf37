import type { Readable, Writable } from 'node:stream';

/** A JSON-RPC message as the Language Server Protocol frames it (the parts we read). */
export interface LspMessage {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export class LspConnectionClosed extends Error {
  readonly code = 'LSP_CLOSED';
  constructor(message: string) {
    super(message);
    this.name = 'LspConnectionClosed';
  }
}

export interface LspConnectionOptions {
  /** Largest single message accepted; past it the connection fails (the server is not trusted to be small). */
  maxMessageBytes: number;
  /** A notification from the server (publishDiagnostics, log messages). */
  onNotification: (method: string, params: unknown) => void;
  /** A request from the server (workspace/configuration, registerCapability): its result. */
  onRequest: (method: string, params: unknown) => unknown;
  /** The stream broke its framing or a message was too large: the owner kills the server. */
  onProtocolError: (error: Error) => void;
}

const headerEnd = Buffer.from('\r\n\r\n');

/**
 * The Language Server Protocol's framing over a child's stdio (`Content-Length: n\r\n\r\n` then
 * n bytes of JSON), written here rather than pulling in a JSON-RPC library for the few messages
 * a type check needs. What is buffered is bounded by `maxMessageBytes`.
 */
export class LspConnection {
  readonly #output: Writable;
  readonly #options: LspConnectionOptions;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #buffer: Buffer = Buffer.alloc(0);
  #nextId = 1;
  #closed: Error | undefined;

  constructor(input: Readable, output: Writable, options: LspConnectionOptions) {
    this.#output = output;
    this.#options = options;
    input.on('data', (chunk: Buffer) => this.#read(chunk));
  }

  request(method: string, params: unknown): Promise<unknown> {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#write([{ jsonrpc: '2.0', id, method, params }]);
    });
  }

  /** Notifications are written together in one chunk, so the server reads them as one batch before it analyses. */
  notify(messages: readonly { method: string; params: unknown }[]): void {
    if (this.#closed || messages.length === 0) return;
    this.#write(messages.map((message) => ({ jsonrpc: '2.0', ...message })));
  }

  /** Fails every request still waiting (the server exited). */
  close(reason: Error): void {
    this.#closed ??= reason;
    for (const waiter of this.#pending.values()) waiter.reject(reason);
    this.#pending.clear();
    this.#buffer = Buffer.alloc(0);
  }

  #write(messages: readonly LspMessage[]): void {
    const frames = messages.map((message) => {
      const body = Buffer.from(JSON.stringify(message), 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    });
    this.#output.write(Buffer.concat(frames));
  }

  #read(chunk: Buffer): void {
    if (this.#closed) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const end = this.#buffer.indexOf(headerEnd);
      if (end < 0) {
        if (this.#buffer.length > 1024) this.#fail(new Error('The type checker wrote a message header longer than 1 KB.'));
        return;
      }
      const header = this.#buffer.subarray(0, end).toString('ascii');
      const length = Number(/^content-length:\s*(\d+)\s*$/im.exec(header)?.[1] ?? Number.NaN);
      if (!Number.isSafeInteger(length)) return this.#fail(new Error('The type checker wrote a message without a length.'));
      if (length > this.#options.maxMessageBytes) return this.#fail(new Error(`The type checker wrote a message of ${length} bytes, over the limit of ${this.#options.maxMessageBytes}.`));
      if (this.#buffer.length < end + 4 + length) return;
      const body = this.#buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(end + 4 + length);
      let message: LspMessage;
      try {
        message = JSON.parse(body) as LspMessage;
      } catch {
        return this.#fail(new Error('The type checker wrote a message that is not JSON.'));
      }
      this.#dispatch(message);
    }
  }

  #dispatch(message: LspMessage): void {
    if (message.method !== undefined && message.id !== undefined && message.id !== null) {
      let result: unknown = null;
      let error: { code: number; message: string } | undefined;
      try {
        result = this.#options.onRequest(message.method, message.params) ?? null;
      } catch (thrown) {
        error = { code: -32603, message: thrown instanceof Error ? thrown.message : 'failed' };
      }
      this.#write([error ? { jsonrpc: '2.0', id: message.id, error } : { jsonrpc: '2.0', id: message.id, result }]);
      return;
    }
    if (message.method !== undefined) {
      this.#options.onNotification(message.method, message.params);
      return;
    }
    if (typeof message.id !== 'number') return;
    const waiter = this.#pending.get(message.id);
    if (!waiter) return;
    this.#pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`The type checker refused ${message.error.code}: ${message.error.message.slice(0, 300)}`));
    else waiter.resolve(message.result);
  }

  #fail(error: Error): void {
    this.close(error);
    this.#options.onProtocolError(error);
  }
}
