import { describeMs, type CallDeadline } from './callDeadline.ts';

/**
 * One attempt's time limits: no first token within `firstTokenMs` (a hung target), no whole
 * answer within `totalMs`, and the call's overall deadline. `onTimeout` gets the reason in
 * words; the deadline is marked passed when it was the one.
 *
 * Every live attempt shares one timer (the module's `watchdogs`): an attempt notes when its
 * nearest limit falls due and leaves the timer alone unless that is earlier than the one the
 * timer is set for. Most attempts end long before any limit (minutes against milliseconds), so
 * a call sets and clears no timer at all; a timer per attempt (set and cleared on every call)
 * cost more than the rest of the router's bookkeeping (bench/routerCpu.ts). When the timer
 * fires it times out the attempts that are due and is set again for the next one.
 */
export class AttemptWatchdog {
  readonly #firstTokenMs: number;
  readonly #totalMs: number;
  readonly #deadlineMs: number;
  readonly #deadline: CallDeadline;
  readonly #onTimeout: (reason: string) => void;
  readonly #startedAt: number;
  /** When (performance.now) the nearest limit that still applies falls due. */
  dueAt: number;
  /** The limit `dueAt` is for, in ms from the attempt's start. */
  #armedFor = 0;
  #firstToken = false;

  constructor(limits: { firstTokenMs: number; totalMs: number; deadline: CallDeadline }, onTimeout: (reason: string) => void) {
    this.#firstTokenMs = limits.firstTokenMs;
    this.#totalMs = limits.totalMs;
    this.#deadline = limits.deadline;
    this.#deadlineMs = limits.deadline.remainingMs();
    this.#onTimeout = onTimeout;
    this.#startedAt = performance.now();
    this.dueAt = this.#next();
    watchdogs.add(this);
  }

  /** The first token came: the first-token limit no longer applies (looked at when it falls due). */
  firstToken(): void {
    this.#firstToken = true;
  }

  stop(): void {
    watchdogs.delete(this);
  }

  /** Sets `#armedFor` to the nearest limit that still applies and returns when it falls due. */
  #next(): number {
    this.#armedFor = Math.min(this.#firstToken ? Infinity : this.#firstTokenMs, this.#totalMs, this.#deadlineMs);
    return this.#startedAt + this.#armedFor;
  }

  /** Its `dueAt` came: times the attempt out, or (the first token came meanwhile) moves on to the next limit. Returns whether it is still watched. */
  fire(): boolean {
    const at = this.#armedFor;
    if (at === this.#firstTokenMs && !this.#firstToken) this.#onTimeout(`no first token within ${describeMs(this.#firstTokenMs)}`);
    else if (at === this.#totalMs) this.#onTimeout(`no complete answer within ${describeMs(this.#totalMs)}`);
    else if (at === this.#deadlineMs) {
      this.#deadline.expire();
      this.#onTimeout(`the call's overall deadline of ${describeMs(this.#deadline.ms)} passed`);
    } else {
      this.dueAt = this.#next();
      return true;
    }
    return false;
  }
}

/** The live attempts' watchdogs and the one timer they share. */
class Watchdogs {
  readonly #live = new Set<AttemptWatchdog>();
  #timer: NodeJS.Timeout | undefined;
  /** When (performance.now) the timer fires. */
  #timerAt = Infinity;

  add(watchdog: AttemptWatchdog): void {
    this.#live.add(watchdog);
    if (watchdog.dueAt < this.#timerAt) this.#arm(watchdog.dueAt);
    // A live attempt keeps the process up as its own timer did; none left, the timer does not.
    else if (this.#live.size === 1) this.#timer?.ref();
  }

  delete(watchdog: AttemptWatchdog): void {
    if (this.#live.delete(watchdog) && this.#live.size === 0) this.#timer?.unref();
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(1, Math.ceil(at - performance.now())));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    let next = Infinity;
    const now = performance.now();
    for (const watchdog of [...this.#live]) {
      if (watchdog.dueAt > now) next = Math.min(next, watchdog.dueAt);
      else if (watchdog.fire()) next = Math.min(next, watchdog.dueAt);
      else this.#live.delete(watchdog);
    }
    // (A timeout's listeners may have started an attempt, and with it the timer, meanwhile.)
    if (next < this.#timerAt) this.#arm(next);
  }
}

const watchdogs = new Watchdogs();
