import type { Api } from '../../src-shared/buildApi.ts';
import { createBridgeApi } from './createBridgeApi.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the UI runs in a browser over the bridge. */
    api?: Api;
  }
}

const tokenKey = 'service-creator.bridge-token';
let cached: Api | undefined;

/**
 * `window.api` when the preload provided it, else the bridge client. The bridge token arrives in
 * the URL fragment (never sent to a server), is kept in sessionStorage so a reload keeps working,
 * and is removed from the address bar.
 */
export function getApi(): Api {
  if (cached) return cached;
  if (window.api) return (cached = window.api);
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(tokenKey, fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  const token = fromHash ?? sessionStorage.getItem(tokenKey);
  if (!token) throw new Error('No bridge token: open the URL that `service-creator serve` printed.');
  return (cached = createBridgeApi(token));
}
