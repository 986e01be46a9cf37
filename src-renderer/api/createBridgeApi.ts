import { AppError } from '../../src-shared/AppError.ts';
import { bridgeSocketPath, serverFrameSchema, type ServerFrame } from '../../src-shared/bridgeProtocol.ts';
import { buildApi, type Api } from '../../src-shared/buildApi.ts';
import type { Channel, EventName } from '../../src-shared/contract.ts';
import { fail, type Envelope } from '../../src-shared/envelope.ts';

interface Pending {
  resolve: (envelope: Envelope<unknown>) => void;
}

/**
 * The contract over the loopback bridge's WebSocket, for a renderer running in a plain browser.
 * Requests made while the socket is (re)connecting wait for it; a lost connection fails pending
 * calls with a TRANSPORT error (retryable) and reconnects with backoff.
 */
export function createBridgeApi(token: string, location: { host: string; protocol: string } = window.location): Api {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}${bridgeSocketPath}?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let ready: Promise<WebSocket> | undefined;
  let retryDelay = 250;

  const connect = (): Promise<WebSocket> => {
    ready ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      socket = ws;
      ws.addEventListener('open', () => {
        retryDelay = 250;
        resolve(ws);
      });
      ws.addEventListener('message', (message) => onFrame(message.data));
      ws.addEventListener('close', (event) => {
        ready = undefined;
        socket = undefined;
        for (const [id, call] of pending) {
          pending.delete(id);
          call.resolve(transportError(`The connection to the Service Creator core closed (code ${event.code}).`));
        }
        reject(new AppError('TRANSPORT', `Cannot connect to the Service Creator core at ${location.host} (code ${event.code}).`, { retryable: true }));
        if (listeners.size > 0) setTimeout(() => void connect().catch(() => undefined), retryDelay);
        retryDelay = Math.min(retryDelay * 2, 5000);
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
    let ws: WebSocket;
    try {
      ws = socket?.readyState === WebSocket.OPEN ? socket : await connect();
    } catch (error) {
      return transportError(error instanceof Error ? error.message : String(error));
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

  return buildApi(invoke, subscribe);
}

function transportError(message: string): Envelope<never> {
  return fail(new AppError('TRANSPORT', message, { retryable: true }));
}
