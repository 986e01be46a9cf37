import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { RateSlot } from '../router/routerTypes.ts';
import type { AttemptRepository } from '../store/AttemptRepository.ts';
import type { SharedRateLimits } from '../store/SharedRateLimits.ts';

/** How many slots a lease asks for (SharedRateLimits grants fewer under tight limits: one under a burst of 1). */
const leaseSlots = 32;

interface Lease {
  providerId: string;
  second: number;
  slots: number;
  tokens: number;
}

/**
 * Slots in the providers' shared rate windows (SharedRateLimits), taken several at a time: a
 * process asks the database for up to 32 slots of the current second at once (as many as leave
 * others fifteen sixteenths of the room; one when limits are tight) and its calls draw on them in
 * memory until that second ends. What the calls really used (settled tokens) and the slots a
 * lease did not use are written back with the next batch of attempts, within 100 ms: the window
 * counts a lease's slots in full until then, never less than was sent.
 */
export class RateLeases {
  readonly #rates: SharedRateLimits;
  readonly #attempts: AttemptRepository;
  readonly #now: () => number;
  readonly #current = new Map<string, Lease>();
  /** Per provider and second: requests and tokens to add (negative: give back), written with the next batch. */
  readonly #pending = new Map<string, { providerId: string; second: number; requests: number; tokens: number }>();

  constructor(deps: { rates: SharedRateLimits; attempts: AttemptRepository; now: () => number }) {
    this.#rates = deps.rates;
    this.#attempts = deps.attempts;
    this.#now = deps.now;
    let adjusted: { providerId: string; second: number; requests: number; tokens: number }[] = [];
    this.#attempts.writeAlongside({
      pending: () => this.#pending.size > 0 || [...this.#current.values()].some((lease) => lease.second !== Math.floor(this.#now() / 1000)),
      write: () => {
        // A lease of a second that is not this one (passed, or ahead of a clock set back) can take no more calls: what it did not use goes back.
        const second = Math.floor(this.#now() / 1000);
        for (const lease of [...this.#current.values()]) if (lease.second !== second) this.#giveBack(lease);
        adjusted = [...this.#pending.values()];
        this.#pending.clear();
        for (const { providerId, second: at, requests, tokens } of adjusted) this.#rates.adjust(providerId, at, requests, tokens);
      },
      committed: () => {
        adjusted = [];
      },
      // The batch did not commit: what it was to add or give back goes with the next one.
      rolledBack: () => {
        for (const { providerId, second, requests, tokens } of adjusted.splice(0)) this.#add(providerId, second, requests, tokens);
      },
    });
  }

  /** A slot for `tokens` now, from this process's lease when it has one left; else how many ms to wait. */
  tryTake(config: ProviderConfig, tokens: number): RateSlot | number {
    const second = Math.floor(this.#now() / 1000);
    let lease = this.#current.get(config.id);
    if (!lease || lease.second !== second || lease.slots < 1 || lease.tokens < tokens) {
      if (lease) this.#giveBack(lease);
      const taken = this.#rates.tryTakeMany(config.id, config.limits, tokens, leaseSlots);
      if (typeof taken === 'number') return taken;
      lease = { providerId: config.id, second: taken.second, slots: taken.slots, tokens: taken.slots * tokens };
      this.#current.set(config.id, lease);
      // Once its second is over, what it did not use goes back with a batch.
      setTimeout(() => this.#attempts.soon(), (taken.second + 1) * 1000 - this.#now() + 5).unref();
    }
    lease.slots -= 1;
    lease.tokens -= tokens;
    const { providerId, second: at } = lease;
    return { settle: (used: number) => this.#add(providerId, at, 0, Math.round(used) - tokens) };
  }

  /** Gives back every slot not used (on close). */
  giveBackAll(): void {
    for (const lease of [...this.#current.values()]) this.#giveBack(lease);
  }

  #giveBack(lease: Lease): void {
    if (this.#current.get(lease.providerId) === lease) this.#current.delete(lease.providerId);
    this.#add(lease.providerId, lease.second, -lease.slots, -lease.tokens);
  }

  #add(providerId: string, second: number, requests: number, tokens: number): void {
    if (requests === 0 && tokens === 0) return;
    const key = `${providerId}\u0000${second}`;
    const entry = this.#pending.get(key) ?? { providerId, second, requests: 0, tokens: 0 };
    entry.requests += requests;
    entry.tokens += tokens;
    this.#pending.set(key, entry);
    this.#attempts.soon();
  }
}
