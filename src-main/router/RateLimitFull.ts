/**
 * A balanced target's rate limit has no slot now while a later target of the same tier could
 * take the call (Router: under `weighted`, `least-latency` or `least-cost` the targets are
 * equivalent, so the call moves on instead of waiting out the window). Nothing was sent.
 */
export class RateLimitFull extends Error {
  /** How long until the window has a slot again. */
  readonly waitMs: number;

  constructor(waitMs: number) {
    super(`rate limit reached for now (a slot in ${waitMs} ms)`);
    this.name = 'RateLimitFull';
    this.waitMs = waitMs;
  }
}
