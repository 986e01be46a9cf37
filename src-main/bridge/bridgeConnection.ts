import type { WebSocket } from 'ws';
import { AppError } from '../../src-shared/AppError.ts';
import { clientFrameSchema, type ServerFrame } from '../../src-shared/bridgeProtocol.ts';
import { channelNames, eventNames } from '../../src-shared/contract.ts';
import { fail } from '../../src-shared/envelope.ts';
import type { Core } from '../core/createCore.ts';
import { appVersion } from '../core/appVersion.ts';
import { summarize } from '../core/createDispatch.ts';

/** What a bridge connection needs of the core. */
export type BridgeCore = Pick<Core, 'dispatch' | 'bus'>;

/**
 * One page's WebSocket, once its upgrade was admitted: the hello frame, the core's events, and
 * every invoke frame through the same dispatcher, validation and envelope as Electron IPC.
 * Loaded with `ws` when the first page connects (startBridgeServer): the contract's schemas are
 * not needed to serve the page its files.
 */
export function handleBridgeConnection(ws: WebSocket, core: BridgeCore): void {
  const send = (frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  send({ type: 'hello', version: appVersion, channels: [...channelNames], events: [...eventNames] });
  const unsubscribe = core.bus.subscribe((event, payload) => send({ type: 'event', event, payload }));
  ws.on('close', unsubscribe);
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    void handleFrame(core, data.toString(), isBinary).then(send);
  });
}

async function handleFrame(core: BridgeCore, text: string, isBinary: boolean): Promise<ServerFrame> {
  if (isBinary) return invalid('Binary frames are not accepted');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return invalid('A frame must be JSON');
  }
  const frame = clientFrameSchema.safeParse(json);
  if (!frame.success) return invalid(`Invalid frame: ${summarize(frame.error)}`);
  const result = await core.dispatch(frame.data.channel, frame.data.input);
  return { type: 'result', id: frame.data.id, result };
}

function invalid(message: string): ServerFrame {
  return { type: 'error', result: fail(new AppError('INVALID_INPUT', message)) };
}
