import type { Api } from '../../src-shared/buildApi.ts';
import { takeAddressToken, storedToken } from './addressToken.ts';
import type { BridgeLink } from './bridgeLink.ts';
import { createBridgeApi, type BridgeClient } from './createBridgeApi.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the UI runs in a browser over the bridge. */
    api?: Api;
  }
}

let cached: Api | undefined;
let bridge: BridgeClient | undefined;
let linkListener: (link: BridgeLink) => void = () => undefined;

/** Where the bridge client reports its link (the connection store); the desktop app has none. */
export function onBridgeLink(listener: (link: BridgeLink) => void): void {
  linkListener = listener;
}

/** A new token was put in the address: the bridge client reconnects with it, no reload needed. */
export function switchBridgeToken(token: string): void {
  if (bridge) bridge.setToken(token);
}

/** Whether the UI talks to the core over the bridge (a browser) rather than the preload. */
export function isBridge(): boolean {
  // No window at all: rendered outside a browser (the shell test renders App to markup).
  return typeof window !== 'undefined' && window.api === undefined;
}

/**
 * `window.api` when the preload provided it, else the bridge client, with the token from the
 * address (see takeAddressToken) or the one this tab kept.
 */
export function getApi(): Api {
  if (cached) return cached;
  if (window.api) return (cached = window.api);
  const token = takeAddressToken() ?? storedToken();
  if (!token) throw new Error('This page has no access key: open the address the app printed when it started.');
  bridge = createBridgeApi(token, (link) => {
    linkListener(link);
  });
  return (cached = bridge.api);
}
