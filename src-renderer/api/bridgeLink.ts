/**
 * The state of the bridge's socket, as the shell shows it: connecting at first, connected,
 * reconnecting after a drop (with how many tries so far), or ended when the server says this
 * page's token is not its launch's (serve restarted): only a new address helps then.
 */
export type BridgeLink = { state: 'connecting' } | { state: 'connected' } | { state: 'reconnecting'; attempt: number } | { state: 'ended' };
