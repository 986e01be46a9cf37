import { z } from 'zod';
import { envelopeSchema } from './envelope.ts';

/** Path of the bridge's WebSocket endpoint; the per-launch token goes in its `token` query. */
export const bridgeSocketPath = '/api';

/**
 * Plain HTTP check of a token (header `X-Bridge-Token`): 204 when it is this launch's, 401 with an
 * UNAUTHORIZED envelope when not. A browser cannot read why a WebSocket upgrade was refused, so
 * the page asks here to tell "the server is down" from "this page's token is no longer valid".
 */
export const bridgeSessionPath = '/api/session';
export const bridgeTokenHeader = 'x-bridge-token';

/** Largest frame the bridge accepts from a client. */
export const bridgeMaxFrameBytes = 1024 * 1024;

export const clientFrameSchema = z.object({
  type: z.literal('invoke'),
  id: z.union([z.string().max(64), z.number().int()]),
  channel: z.string().max(100),
  input: z.unknown().optional(),
});
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), version: z.string(), channels: z.array(z.string()), events: z.array(z.string()) }),
  z.object({ type: z.literal('result'), id: z.union([z.string(), z.number()]), result: envelopeSchema }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('error'), result: envelopeSchema }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
