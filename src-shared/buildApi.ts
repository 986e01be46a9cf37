import {
  channelNames,
  isEventName,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
  type EventName,
  type EventPayload,
} from './contract.ts';
import type { Envelope } from './envelope.ts';

type AreaOf<C extends string> = C extends `${infer Area}.${string}` ? Area : never;
type VerbOf<C extends string, Area extends string> = C extends `${Area}.${infer Verb}` ? Verb : never;
type ArgsOf<C extends Channel> = undefined extends ChannelInput<C> ? [input?: ChannelInput<C>] : [input: ChannelInput<C>];

export type ChannelFunction<C extends Channel> = (...args: ArgsOf<C>) => Promise<Envelope<ChannelOutput<C>>>;

/** `window.api`: one named function per channel, grouped by area (`api.projects.create(...)`). */
export type Api = {
  [Area in AreaOf<Channel>]: {
    [Verb in VerbOf<Channel, Area>]: `${Area}.${Verb}` extends Channel ? ChannelFunction<`${Area}.${Verb}`> : never;
  };
} & {
  /** Subscribes to a core event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export type Invoke = (channel: Channel, input: unknown) => Promise<Envelope<unknown>>;
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

/**
 * Builds the named-function API from the contract over any transport. The preload builds it over
 * ipcRenderer, the bridge client over a WebSocket; neither exposes a generic "send anything".
 */
export function buildApi(invoke: Invoke, subscribe: Subscribe): Api {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Envelope<unknown>>>> = {};
  for (const channel of channelNames) {
    const [area, verb] = channel.split('.') as [string, string];
    api[area] ??= {};
    api[area][verb] = (input?: unknown) => invoke(channel, input);
  }
  const on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new TypeError(`Unknown event "${String(event)}"`);
    return subscribe(event, listener);
  };
  return Object.freeze({ ...api, on }) as unknown as Api;
}

/** The channel names an Api object exposes, for the test that compares transports. */
export function apiChannels(api: Api): string[] {
  const names: string[] = [];
  for (const [area, verbs] of Object.entries(api)) {
    if (typeof verbs !== 'object' || verbs === null) continue;
    for (const verb of Object.keys(verbs)) names.push(`${area}.${verb}`);
  }
  return names.sort();
}
