import { takeAddressToken } from '../../api/addressToken.ts';
import { switchBridgeToken } from '../../api/getApi.ts';
import { formatRoute, parseRoute, type Route } from './route.ts';
import { onNavigate, useNavigationStore } from './navigationStore.ts';

// The last place, for the next start of the desktop app (its window reopens where it was).
const lastRouteKey = 'service-creator.last-route';

/**
 * Keeps the address and the navigation store in step: every move is a history entry (or replaces
 * one), Back/Forward and an edited address move the app, and a `#token=` pasted into the address
 * is handed to the bridge client and replaced by the route. Call once, before the first render.
 *
 * At start: a route in the address wins (a reload, a deep link); the printed address (a token)
 * opens the projects list; an address with no hash at all (the desktop app's window) reopens the
 * last place.
 */
export function syncAddress(): () => void {
  const token = takeAddressToken();
  const fromAddress = parseRoute(window.location.hash.slice(1));
  const start = fromAddress ?? (token === null ? readLastRoute() : null);
  if (start) useNavigationStore.getState().arrive(start);
  write(useNavigationStore.getState(), 'replace');

  onNavigate((route, mode) => {
    write(route, mode);
  });

  const onAddress = () => {
    const fresh = takeAddressToken();
    if (fresh !== null) {
      switchBridgeToken(fresh);
      // The token leaves the address at once; the place stays where it was.
      write(useNavigationStore.getState(), 'replace');
      return;
    }
    const route = parseRoute(window.location.hash.slice(1));
    if (route === null) {
      write(useNavigationStore.getState(), 'replace');
      return;
    }
    useNavigationStore.getState().arrive(route);
    remember(route);
  };
  window.addEventListener('popstate', onAddress);
  window.addEventListener('hashchange', onAddress);
  return () => {
    window.removeEventListener('popstate', onAddress);
    window.removeEventListener('hashchange', onAddress);
    onNavigate(() => undefined);
  };
}

function write(route: Route, mode: 'push' | 'replace'): void {
  const address = `#${formatRoute(route)}`;
  if (window.location.hash !== address || mode === 'replace') {
    const url = `${window.location.pathname}${window.location.search}${address}`;
    if (mode === 'push' && window.location.hash !== address) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }
  remember(route);
}

function remember(route: Route): void {
  try {
    localStorage.setItem(lastRouteKey, formatRoute(route));
  } catch {
    // storage can be unavailable: the next start opens on the projects list
  }
}

function readLastRoute(): Route | null {
  try {
    return parseRoute(localStorage.getItem(lastRouteKey) ?? '');
  } catch {
    return null;
  }
}
