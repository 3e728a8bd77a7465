/**
 * Failover across a list of providers: a job goes to the first one whose circuit is not open; a
 * retryable failure (5xx, network, rate limit after retries, a silent connection) or an open
 * circuit moves it to the next. Failures that more tries cannot fix (bad input, bad key, content
 * policy, a failed task) stop it at once. The outcome says who served it and who was tried.
 */
import { type CircuitBreaker, countsAgainstProvider } from "./circuit-breaker.ts";
import { AllProvidersFailedError, CircuitOpenError, isAbortError, UpscaleError } from "./errors.ts";
import { formatMs } from "./poll.ts";
import type { ProviderId } from "./types.ts";

export interface FailoverOptions {
  providers: readonly ProviderId[];
  breakerOf(provider: ProviderId): CircuitBreaker | undefined;
  onFailover?(from: ProviderId, to: ProviderId, reason: string): void;
}

export interface Served<T> {
  value: T;
  provider: ProviderId;
  tried: ProviderId[];
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function annotate(error: unknown, tried: ProviderId[]): unknown {
  if (error instanceof UpscaleError) error.tried = [...tried];
  return error;
}

export async function withFailover<T>(
  options: FailoverOptions,
  run: (provider: ProviderId, tried: ProviderId[]) => Promise<T>,
): Promise<Served<T>> {
  const tried: ProviderId[] = [];
  const errors: Array<{ provider: ProviderId; error: unknown }> = [];
  const { providers } = options;
  for (let index = 0; index < providers.length; index++) {
    const provider = providers[index]!;
    const breaker = options.breakerOf(provider);
    let error: unknown;
    if (breaker && !breaker.tryAcquire()) {
      error = new CircuitOpenError(
        `Failed to use ${provider}: its circuit is open after repeated failures. It gets a trial again in ${formatMs(breaker.retryInMs)}; use another provider meanwhile.`,
        { provider, retryInMs: breaker.retryInMs },
      );
    } else {
      tried.push(provider);
      try {
        const value = await run(provider, [...tried]);
        breaker?.recordSuccess();
        return { value, provider, tried };
      } catch (caught) {
        if (isAbortError(caught)) {
          breaker?.release();
          throw caught;
        }
        if (countsAgainstProvider(caught)) breaker?.recordFailure();
        else breaker?.release();
        error = caught;
      }
    }
    errors.push({ provider, error });
    const movable = error instanceof UpscaleError && (error.retryable || error instanceof CircuitOpenError);
    const next = providers[index + 1];
    if (!movable || next === undefined) break;
    options.onFailover?.(provider, next, reasonOf(error));
  }
  const last = errors.at(-1)!;
  if (errors.length === 1 || !(last.error instanceof UpscaleError && last.error.retryable)) {
    throw annotate(last.error, tried);
  }
  const summary = errors.map((e) => `${e.provider}: ${reasonOf(e.error)}`).join(" | ");
  const failed = new AllProvidersFailedError(
    `Failed to upscale with any of ${errors.map((e) => e.provider).join(", ")}: ${summary} Retry later or add another provider.`,
    errors,
  );
  failed.tried = [...tried];
  throw failed;
}
