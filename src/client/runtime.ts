/**
 * What one upscaler holds between calls: its clock and policies, the keys it found, and per
 * provider a transport, an adapter and a circuit breaker, made on first use. Every provider call
 * gets its CallContext here, so retries, logging and progress events are wired in one place.
 */
import type { CallContext, ProviderAdapter } from "../core/adapter.ts";
import { CircuitBreaker, defaultCircuitBreakerOptions } from "../core/circuit-breaker.ts";
import { type Clock, RealClock } from "../core/clock.ts";
import { AuthError } from "../core/errors.ts";
import { send, type Transport } from "../core/http.ts";
import { materialize, type PreparedInput } from "../core/input.ts";
import { defaultPollPolicy, type PollPolicy } from "../core/poll.ts";
import { defaultRetryPolicy, type RetryPolicy, withRetry } from "../core/retry.ts";
import type { ProgressEvent, ProviderId, SendRequest } from "../core/types.ts";
import { OriginPolicy } from "../core/url-policy.ts";
import { providerIds } from "../providers/ids.ts";
import { basesOf, providerModules } from "../providers/index.ts";
import type { UpscalerConfig } from "../upscaler-api.ts";

export interface CallScope {
  signal?: AbortSignal | undefined;
  deadline?: number;
  clientRequestId: string;
}

function readEnv(config: UpscalerConfig): Record<string, string | undefined> {
  if (config.env) return config.env;
  return typeof process !== "undefined" ? process.env : {};
}

export class ClientRuntime {
  readonly clock: Clock;
  readonly retryPolicy: RetryPolicy;
  readonly pollPolicy: PollPolicy;
  readonly random: () => number;
  readonly requestTimeoutMs: number;
  readonly fetcher: SendRequest;
  readonly #env: Record<string, string | undefined>;
  /** Every configured key, and the halves of `id:secret` keys (fal): scrubbed from messages and bodies. */
  readonly #secrets: string[];
  readonly #transports = new Map<ProviderId, Transport>();
  readonly #adapters = new Map<ProviderId, ProviderAdapter>();
  readonly #breakers = new Map<ProviderId, CircuitBreaker>();

  constructor(readonly config: UpscalerConfig) {
    this.clock = config.clock ?? new RealClock();
    this.retryPolicy = { ...defaultRetryPolicy, ...config.retry };
    this.pollPolicy = { ...defaultPollPolicy, ...config.poll };
    this.random = config.random ?? Math.random;
    this.requestTimeoutMs = config.requestTimeoutMs ?? 180_000;
    this.#env = readEnv(config);
    // A caller's fetch is handed a Request, its documented shape. The default one is called with
    // (url, init) as written: handed a Request, fetch copies it, body stream and all.
    this.fetcher = (url, init) =>
      config.fetch ? config.fetch(new Request(url, init)) : globalThis.fetch(url, init);
    this.#secrets = providerIds
      .map((p) => this.keyOf(p))
      .filter((k): k is string => typeof k === "string" && k.length > 0)
      .flatMap((k) => [k, ...k.split(":").filter((part) => part.length >= 8)]);
  }

  keyOf(provider: ProviderId): string | undefined {
    return this.config.apiKeys?.[provider] ?? this.#env[providerModules[provider].envKey];
  }

  /** Hands a progress event to the caller's callback; a throwing callback is logged, never fatal. */
  emit = (event: ProgressEvent): void => {
    try {
      this.config.onProgress?.(event);
    } catch (error) {
      this.config.logger?.warn?.("onProgress threw; ignored", { error: String(error) });
    }
  };

  transportOf(provider: ProviderId): Transport {
    const known = this.#transports.get(provider);
    if (known) return known;
    const module = providerModules[provider];
    const bases = basesOf(module, this.config.baseUrls?.[provider]);
    const apiBases = module.apiHosts.map((h) => bases[h]).filter((b): b is string => Boolean(b));
    const otherBases = Object.entries(bases)
      .filter(([h]) => !module.apiHosts.includes(h))
      .map(([, b]) => b);
    const key = this.keyOf(provider);
    const transport: Transport = {
      provider,
      clock: this.clock,
      fetch: this.fetcher,
      authHeaders: key ? module.authHeaders(key) : {},
      headers: { ...this.config.headers },
      secrets: this.#secrets,
      policy: new OriginPolicy(provider, apiBases, otherBases, [
        ...module.resultHosts,
        ...(this.config.trustedHosts ?? []),
      ]),
      requestTimeoutMs: this.requestTimeoutMs,
      ...(this.config.logger ? { logger: this.config.logger } : {}),
      keyHint: `${module.envKey} or apiKeys.${provider}`,
    };
    this.#transports.set(provider, transport);
    this.#adapters.set(provider, module.create(transport, bases));
    return transport;
  }

  adapterOf(provider: ProviderId): ProviderAdapter {
    this.transportOf(provider);
    return this.#adapters.get(provider)!;
  }

  breakerOf = (provider: ProviderId): CircuitBreaker | undefined => {
    if (this.config.circuitBreaker === false) return undefined;
    let breaker = this.#breakers.get(provider);
    if (!breaker) {
      breaker = new CircuitBreaker(
        this.clock,
        { ...defaultCircuitBreakerOptions, ...this.config.circuitBreaker },
        (state) => this.config.logger?.warn?.(`${provider}: circuit ${state}`, { provider, state }),
      );
      this.#breakers.set(provider, breaker);
    }
    return breaker;
  };

  requireKey(provider: ProviderId): void {
    if (this.keyOf(provider)) return;
    const module = providerModules[provider];
    throw new AuthError(
      `Failed to call ${provider}: no API key is configured. Set ${module.envKey} or pass apiKeys.${provider}.`,
      { provider, status: 0 },
    );
  }

  /** The context an adapter call runs in: transport, retries (logged and reported), input loading. */
  callContext(provider: ProviderId, scope: CallScope): CallContext {
    const transport = this.transportOf(provider);
    const { signal, deadline } = scope;
    const retry: CallContext["retry"] = (kind, operation, fn) =>
      withRetry(kind, operation, fn, {
        clock: this.clock,
        policy: this.retryPolicy,
        random: this.random,
        ...(signal ? { signal } : {}),
        ...(deadline !== undefined ? { deadline } : {}),
        onRetry: ({ attempt, delayMs, error }) => {
          const reason = error instanceof Error ? error.message : String(error);
          this.config.logger?.warn?.(
            `${provider}: retrying ${operation} in ${delayMs} ms (attempt ${attempt})`,
            { provider, operation, attempt, delayMs },
          );
          this.emit({ type: "retry", provider, operation, attempt, delayMs, reason });
        },
      });
    return {
      transport,
      clock: this.clock,
      ...(signal ? { signal } : {}),
      ...(deadline !== undefined ? { deadline } : {}),
      clientRequestId: scope.clientRequestId,
      retry,
      send: (kind, sendOptions, exec) =>
        retry(kind, sendOptions.operation, () =>
          send(transport, { ...sendOptions, ...(signal ? { signal } : {}) }, exec),
        ),
      materialize: (input: PreparedInput) => materialize(input, this.fetcher, signal, this.requestTimeoutMs),
    };
  }
}
