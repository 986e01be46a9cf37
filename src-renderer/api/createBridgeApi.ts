import { AppError } from '../../src-shared/AppError.ts';
import { bridgeSessionPath, bridgeSocketPath, bridgeTokenHeader, serverFrameSchema, type ServerFrame } from '../../src-shared/bridgeProtocol.ts';
import { buildApi, type Api } from '../../src-shared/buildApi.ts';
import type { Channel, EventName } from '../../src-shared/contract.ts';
import { envelopeSchema, fail, type Envelope } from '../../src-shared/envelope.ts';
import type { BridgeLink } from './bridgeLink.ts';

interface Pending {
  resolve: (envelope: Envelope<unknown>) => void;
}

export interface BridgeClient {
  api: Api;
  /** Takes a new token (a new address pasted into this tab): reconnects with it at once. */
  setToken: (token: string) => void;
}

const endedMessage = "This page's connection has ended: open the address the app printed.";
const lostMessage = 'The connection to the Service Creator core was lost. Trying again.';

/**
 * The contract over the loopback bridge's WebSocket, for a renderer running in a plain browser.
 * Requests made while the socket is (re)connecting wait for it; a lost connection fails pending
 * calls with a TRANSPORT error (retryable) and reconnects with backoff. When a connection is
 * refused, the session check tells a server that is down (keep trying) from a token it no
 * longer takes (UNAUTHORIZED: the link has ended, calls fail at once until a new token comes).
 */
export function createBridgeApi(
  initialToken: string,
  onLink: (link: BridgeLink) => void = () => undefined,
  location: { host: string; protocol: string } = window.location,
): BridgeClient {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let token = initialToken;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let ready: Promise<WebSocket> | undefined;
  let retryDelay = 250;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let ended = false;
  // Bumped when the token changes: a socket of the old token is not ours any more.
  let generation = 0;

  const report = (link: BridgeLink) => {
    onLink(link);
  };

  const scheduleRetry = () => {
    if (retryTimer !== undefined || ended) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect().catch(() => undefined);
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 5000);
  };

  /** After a refused or dropped socket: is this token still the server's? */
  const checkToken = async (mine: number): Promise<'refused' | 'unknown'> => {
    try {
      const response = await fetch(bridgeSessionPath, { headers: { [bridgeTokenHeader]: token }, cache: 'no-store' });
      if (mine !== generation || response.status === 204) return 'unknown';
      const body = envelopeSchema.safeParse(await response.json());
      return body.success && !body.data.ok && body.data.error.code === 'UNAUTHORIZED' ? 'refused' : 'unknown';
    } catch {
      return 'unknown'; // the server is not answering at all: it may come back
    }
  };

  const connect = (): Promise<WebSocket> => {
    if (ended) return Promise.reject(new AppError('UNAUTHORIZED', endedMessage, { retryable: false }));
    const mine = generation;
    ready ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${scheme}//${location.host}${bridgeSocketPath}?token=${encodeURIComponent(token)}`);
      socket = ws;
      ws.addEventListener('open', () => {
        retryDelay = 250;
        failures = 0;
        report({ state: 'connected' });
        resolve(ws);
      });
      ws.addEventListener('message', (message) => {
        if (mine === generation) onFrame(message.data);
      });
      ws.addEventListener('close', () => {
        if (mine !== generation) return; // replaced by a socket with a new token
        ready = undefined;
        socket = undefined;
        for (const [id, call] of pending) {
          pending.delete(id);
          call.resolve(transportError(lostMessage));
        }
        failures += 1;
        reject(new AppError('TRANSPORT', lostMessage, { retryable: true }));
        report({ state: 'reconnecting', attempt: failures });
        void checkToken(mine).then((verdict) => {
          if (mine !== generation) return;
          if (verdict === 'refused') {
            ended = true;
            report({ state: 'ended' });
          } else if (listeners.size > 0) scheduleRetry();
        });
      });
    });
    return ready;
  };

  const onFrame = (data: unknown) => {
    let frame: ServerFrame;
    try {
      frame = serverFrameSchema.parse(JSON.parse(String(data)));
    } catch {
      return; // a frame we do not understand is dropped, not trusted
    }
    if (frame.type === 'result' && typeof frame.id === 'number') {
      const call = pending.get(frame.id);
      pending.delete(frame.id);
      call?.resolve(frame.result as Envelope<unknown>);
    } else if (frame.type === 'event') {
      for (const listener of listeners.get(frame.event as EventName) ?? []) listener(frame.payload);
    }
  };

  const invoke = async (channel: Channel, input: unknown): Promise<Envelope<unknown>> => {
    if (ended) return fail(new AppError('UNAUTHORIZED', endedMessage, { retryable: false }));
    let ws: WebSocket;
    try {
      ws = socket?.readyState === WebSocket.OPEN ? socket : await connect();
    } catch (error) {
      if (error instanceof AppError) return fail(error);
      return transportError(lostMessage);
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, { resolve });
      ws.send(JSON.stringify({ type: 'invoke', id, channel, input }));
    });
  };

  const subscribe = (event: EventName, listener: (payload: unknown) => void) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    void connect().catch(() => undefined);
    return () => {
      set.delete(listener);
      if (set.size === 0) listeners.delete(event);
    };
  };

  const setToken = (next: string) => {
    if (next === token && !ended) return;
    token = next;
    generation += 1;
    ended = false;
    failures = 0;
    retryDelay = 250;
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
    const old = socket;
    socket = undefined;
    ready = undefined;
    for (const [id, call] of pending) {
      pending.delete(id);
      call.resolve(transportError(lostMessage));
    }
    old?.close();
    report({ state: 'connecting' });
    void connect().catch(() => undefined);
  };

  report({ state: 'connecting' });
  return { api: buildApi(invoke, subscribe), setToken };
}

function transportError(message: string): Envelope<never> {
  return fail(new AppError('TRANSPORT', message, { retryable: true }));
}
