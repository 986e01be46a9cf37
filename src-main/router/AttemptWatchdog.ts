import { describeMs, type CallDeadline } from './callDeadline.ts';

/**
 * One attempt's time limits in one timer: no first token within `firstTokenMs` (a hung target),
 * no whole answer within `totalMs`, and the call's overall deadline. The timer is set for the
 * nearest limit that still applies; when it fires for the first-token limit after the first
 * token came, it is set again for the next one. Three timers per attempt (set and cleared on
 * every call) cost more than the rest of the router's bookkeeping (bench/routerCpu.ts).
 * `onTimeout` gets the reason in words; the deadline is marked passed when it was the one.
 */
export class AttemptWatchdog {
  readonly #firstTokenMs: number;
  readonly #totalMs: number;
  readonly #deadlineMs: number;
  readonly #deadline: CallDeadline;
  readonly #onTimeout: (reason: string) => void;
  #timer: NodeJS.Timeout | undefined;
  /** The limit the timer is set for, in ms from the attempt's start. */
  #armedFor = 0;
  #firstToken = false;

  constructor(limits: { firstTokenMs: number; totalMs: number; deadline: CallDeadline }, onTimeout: (reason: string) => void) {
    this.#firstTokenMs = limits.firstTokenMs;
    this.#totalMs = limits.totalMs;
    this.#deadline = limits.deadline;
    this.#deadlineMs = limits.deadline.remainingMs();
    this.#onTimeout = onTimeout;
    this.#arm();
  }

  /** The first token came: the first-token limit no longer applies (the timer is left alone). */
  firstToken(): void {
    this.#firstToken = true;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    const next = Math.min(this.#firstToken ? Infinity : this.#firstTokenMs, this.#totalMs, this.#deadlineMs);
    const from = this.#armedFor;
    this.#armedFor = next;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, next - from));
  }

  #fire(): void {
    this.#timer = undefined;
    const at = this.#armedFor;
    if (at === this.#firstTokenMs && !this.#firstToken) this.#onTimeout(`no first token within ${describeMs(this.#firstTokenMs)}`);
    else if (at === this.#totalMs) this.#onTimeout(`no complete answer within ${describeMs(this.#totalMs)}`);
    else if (at === this.#deadlineMs) {
      this.#deadline.expire();
      this.#onTimeout(`the call's overall deadline of ${describeMs(this.#deadline.ms)} passed`);
    } else this.#arm();
  }
}
