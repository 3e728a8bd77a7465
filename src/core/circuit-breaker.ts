/**
 * A circuit breaker per provider: after `failureThreshold` consecutive failures it opens and the
 * provider is skipped; after `coolDownMs` on the clock it half-opens and lets one job through,
 * whose outcome closes it again or re-opens it for another cool-down.
 */
import type { Clock } from "./clock.ts";
import { ContractError, TimeoutError, UpscaleError } from "./errors.ts";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold: number;
  /** How long it stays open before one trial job is let through (default 30 s). */
  coolDownMs: number;
}

export const defaultCircuitBreakerOptions: CircuitBreakerOptions = {
  failureThreshold: 5,
  coolDownMs: 30_000,
};

export type CircuitState = "closed" | "open" | "half-open";

/** Failures that say something about the provider's health (not about the caller's input). */
export function countsAgainstProvider(error: unknown): boolean {
  if (!(error instanceof UpscaleError)) return false;
  return error.retryable || error instanceof TimeoutError || error instanceof ContractError;
}

export class CircuitBreaker {
  #state: CircuitState = "closed";
  #failures = 0;
  #openedAt = 0;
  #trialInFlight = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: CircuitBreakerOptions = defaultCircuitBreakerOptions,
    private readonly onChange?: (state: CircuitState) => void,
  ) {}

  get state(): CircuitState {
    if (this.#state === "open" && this.clock.now() - this.#openedAt >= this.options.coolDownMs) {
      this.#set("half-open");
    }
    return this.#state;
  }

  /** How long until a trial is allowed (0 when allowed now). */
  get retryInMs(): number {
    if (this.state !== "open") return 0;
    return Math.max(0, this.options.coolDownMs - (this.clock.now() - this.#openedAt));
  }

  /** Whether a job may go to the provider now; in half-open state only one trial at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.#failures = 0;
    this.#trialInFlight = false;
    if (this.#state !== "closed") this.#set("closed");
  }

  recordFailure(): void {
    this.#failures++;
    const wasTrial = this.#trialInFlight;
    this.#trialInFlight = false;
    if (wasTrial || this.#state === "half-open" || this.#failures >= this.options.failureThreshold) {
      this.#openedAt = this.clock.now();
      this.#set("open");
    }
  }

  /** A job that ended without a verdict on the provider (bad input, caller's abort). */
  release(): void {
    this.#trialInFlight = false;
  }

  #set(state: CircuitState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.onChange?.(state);
  }
}
