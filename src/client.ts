/**
 * The unified client: `createUpscaler({ provider | providers, … })`. `upscale()` waits and returns
 * a normalized result; `start()` returns a plain-JSON handle that `status()`, `result()`, `wait()`
 * and `cancel()` take, in this process or another. Every wait reads the one Clock; every provider
 * call goes through the shared transport, retry policy, poll loop, failover and circuit breakers.
 */
import type { CallContext, ProviderAdapter, ResultImagePart, ResultParts } from "./core/adapter.ts";
import { CircuitBreaker, defaultCircuitBreakerOptions } from "./core/circuit-breaker.ts";
import { RealClock } from "./core/clock.ts";
import { AuthError, TaskFailedError, UpscaleError, ValidationError } from "./core/errors.ts";
import { withFailover } from "./core/failover.ts";
import { parseHandle } from "./core/handle.ts";
import { fetchBytes, send, type Transport } from "./core/http.ts";
import { contentTypeOf, formatFromContentType, sniffImage } from "./core/image-size.ts";
import { decodeDataUri, materialize, type PreparedInput, prepareInput } from "./core/input.ts";
import { Warnings } from "./core/mapping.ts";
import { defaultPollPolicy, type PollPolicy, ProgressTracker, pollUntil } from "./core/poll.ts";
import { defaultRetryPolicy, type RetryPolicy, withRetry } from "./core/retry.ts";
import {
  type OperationHandle,
  type OperationStatus,
  type ProgressEvent,
  type ProviderId,
  providerIds,
  type ResultImage,
  type SendRequest,
  type UpscaleOptions,
  type UpscaleResult,
} from "./core/types.ts";
import { OriginPolicy } from "./core/url-policy.ts";
import { basesOf, providerModules } from "./providers/index.ts";
import type { CallOptions, Upscaler, UpscalerConfig } from "./upscaler-api.ts";

export { providerModules } from "./providers/index.ts";
export type { CallOptions, Upscaler, UpscalerConfig, WaitOptions } from "./upscaler-api.ts";

const terminal = new Set(["succeeded", "failed", "canceled"]);

function readEnv(config: UpscalerConfig): Record<string, string | undefined> {
  if (config.env) return config.env;
  return typeof process !== "undefined" ? process.env : {};
}

export function createUpscaler(config: UpscalerConfig = {}): Upscaler {
  const providers = config.providers ?? (config.provider ? [config.provider] : []);
  if (providers.length === 0) {
    throw new ValidationError(
      "Failed to create the upscaler: no provider given. Pass provider or providers.",
      {
        status: 0,
        fieldErrors: [{ field: "provider", message: "required" }],
      },
    );
  }
  for (const p of providers) {
    if (!providerIds.includes(p)) {
      throw new ValidationError(
        `Failed to create the upscaler: unknown provider "${p}". Use one of ${providerIds.join(", ")}.`,
        { status: 0, fieldErrors: [{ field: "providers", message: `unknown provider ${p}` }] },
      );
    }
  }
  const clock = config.clock ?? new RealClock();
  const retryPolicy: RetryPolicy = { ...defaultRetryPolicy, ...config.retry };
  const pollPolicy: PollPolicy = { ...defaultPollPolicy, ...config.poll };
  const random = config.random ?? Math.random;
  const requestTimeoutMs = config.requestTimeoutMs ?? 180_000;
  const env = readEnv(config);
  // A caller's fetch is handed a Request, its documented shape. The default one is called with
  // (url, init) as written: handed a Request, fetch copies it, body stream and all.
  const fetcher: SendRequest = (url, init) =>
    config.fetch ? config.fetch(new Request(url, init)) : globalThis.fetch(url, init);
  const keyOf = (p: ProviderId) => config.apiKeys?.[p] ?? env[providerModules[p].envKey];
  // Every configured key, and the halves of `id:secret` keys (fal), are scrubbed from messages and bodies.
  const secrets = providerIds
    .map(keyOf)
    .filter((k): k is string => typeof k === "string" && k.length > 0)
    .flatMap((k) => [k, ...k.split(":").filter((part) => part.length >= 8)]);
  const emit = (event: ProgressEvent) => {
    try {
      config.onProgress?.(event);
    } catch (error) {
      config.logger?.warn?.("onProgress threw; ignored", { error: String(error) });
    }
  };

  const transports = new Map<ProviderId, Transport>();
  const adapters = new Map<ProviderId, ProviderAdapter>();
  const breakers = new Map<ProviderId, CircuitBreaker>();

  function transportOf(provider: ProviderId): Transport {
    let transport = transports.get(provider);
    if (transport) return transport;
    const module = providerModules[provider];
    const bases = basesOf(module, config.baseUrls?.[provider]);
    const apiBases = module.apiHosts.map((h) => bases[h]).filter((b): b is string => Boolean(b));
    const otherBases = Object.entries(bases)
      .filter(([h]) => !module.apiHosts.includes(h))
      .map(([, b]) => b);
    const key = keyOf(provider);
    transport = {
      provider,
      clock,
      fetch: fetcher,
      authHeaders: key ? module.authHeaders(key) : {},
      headers: { ...config.headers },
      secrets,
      policy: new OriginPolicy(provider, apiBases, otherBases, [
        ...module.resultHosts,
        ...(config.trustedHosts ?? []),
      ]),
      requestTimeoutMs,
      ...(config.logger ? { logger: config.logger } : {}),
      keyHint: `${module.envKey} or apiKeys.${provider}`,
    };
    transports.set(provider, transport);
    adapters.set(provider, module.create(transport, bases));
    return transport;
  }

  function adapterOf(provider: ProviderId): ProviderAdapter {
    transportOf(provider);
    return adapters.get(provider)!;
  }

  function breakerOf(provider: ProviderId): CircuitBreaker | undefined {
    if (config.circuitBreaker === false) return undefined;
    let breaker = breakers.get(provider);
    if (!breaker) {
      breaker = new CircuitBreaker(
        clock,
        { ...defaultCircuitBreakerOptions, ...config.circuitBreaker },
        (state) => config.logger?.warn?.(`${provider}: circuit ${state}`, { provider, state }),
      );
      breakers.set(provider, breaker);
    }
    return breaker;
  }

  function requireKey(provider: ProviderId): void {
    if (keyOf(provider)) return;
    const module = providerModules[provider];
    throw new AuthError(
      `Failed to call ${provider}: no API key is configured. Set ${module.envKey} or pass apiKeys.${provider}.`,
      { provider, status: 0 },
    );
  }

  function callContext(
    provider: ProviderId,
    options: { signal?: AbortSignal | undefined; deadline?: number; clientRequestId: string },
  ): CallContext {
    const transport = transportOf(provider);
    const retry: CallContext["retry"] = (kind, operation, fn) =>
      withRetry(kind, operation, fn, {
        clock,
        policy: retryPolicy,
        random,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
        onRetry: ({ attempt, delayMs, error }) => {
          const reason = error instanceof Error ? error.message : String(error);
          config.logger?.warn?.(`${provider}: retrying ${operation} in ${delayMs} ms (attempt ${attempt})`, {
            provider,
            operation,
            attempt,
            delayMs,
          });
          emit({ type: "retry", provider, operation, attempt, delayMs, reason });
        },
      });
    return {
      transport,
      clock,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
      clientRequestId: options.clientRequestId,
      retry,
      send: (kind, sendOptions, exec) =>
        retry(kind, sendOptions.operation, () =>
          send(transport, { ...sendOptions, ...(options.signal ? { signal: options.signal } : {}) }, exec),
        ),
      materialize: (input: PreparedInput) => materialize(input, fetcher, options.signal, requestTimeoutMs),
    };
  }

  async function startOn(
    provider: ProviderId,
    input: PreparedInput,
    options: UpscaleOptions,
    deadline: number,
    tried: ProviderId[],
  ): Promise<OperationHandle> {
    requireKey(provider);
    const adapter = adapterOf(provider);
    const warnings = new Warnings(provider);
    // Minted once for this job, outside every retry loop below.
    const clientRequestId = globalThis.crypto.randomUUID();
    const ctx = callContext(provider, { signal: options.signal, deadline, clientRequestId });
    const job = await adapter.start(ctx, input, options, warnings);
    const info = input.kind === "bytes" ? input.info : undefined;
    const handle: OperationHandle = {
      version: 1,
      provider,
      id: job.id,
      state: job.state,
      ...(job.endpoint ? { endpoint: job.endpoint } : {}),
      ...(job.urls ? { urls: job.urls } : {}),
      ...(job.output !== undefined ? { output: job.output } : {}),
      createdAt: clock.now(),
      clientRequestId,
      expected: {
        scale: job.scale,
        ...(info?.width ? { inputWidth: info.width } : {}),
        ...(info?.height ? { inputHeight: info.height } : {}),
        ...(options.format ? { format: options.format } : {}),
        ...(info ? { contentType: info.contentType } : {}),
      },
      warnings: warnings.list,
      tried,
    };
    emit({ type: "submitted", provider, id: handle.id });
    config.logger?.info?.(`${provider}: started ${handle.id}`, {
      provider,
      id: handle.id,
      state: handle.state,
    });
    return handle;
  }

  async function waitFor(
    handle: OperationHandle,
    options: { signal?: AbortSignal | undefined; deadline: number; upscale?: UpscaleOptions },
  ): Promise<UpscaleResult> {
    const { provider } = handle;
    const adapter = adapterOf(provider);
    const ctx = callContext(provider, {
      signal: options.signal,
      deadline: options.deadline,
      clientRequestId: handle.clientRequestId,
    });
    const tracker = new ProgressTracker(config.onProgress ? emit : undefined, provider, handle.id);
    let final: OperationStatus;
    if (handle.state === "done") {
      final = await adapter.status(ctx, handle);
    } else {
      const cancelCtx = callContext(provider, { clientRequestId: handle.clientRequestId });
      final = await pollUntil({
        clock,
        policy: pollPolicy,
        deadline: options.deadline,
        ...(options.signal ? { signal: options.signal } : {}),
        random,
        what: `${provider} job ${handle.id}`,
        provider,
        taskId: handle.id,
        check: async () => {
          const status = await adapter.status(ctx, handle);
          tracker.update(status);
          if (terminal.has(status.state)) return { done: true, value: status };
          const stalled = adapter.stalled?.(status, handle, clock.now(), options.upscale ?? {});
          if (stalled) throw stalled;
          return {
            done: false,
            ...(status.retryAfterMs !== undefined ? { retryAfterMs: status.retryAfterMs } : {}),
            note: status.providerState ?? status.state,
          };
        },
        ...(adapter.cancel
          ? {
              cancel: async () => {
                const cancelled = await adapter.cancel!(cancelCtx, handle);
                config.logger?.info?.(`${provider}: cancel ${handle.id} → ${cancelled}`, {
                  provider,
                  id: handle.id,
                });
                return cancelled;
              },
            }
          : {}),
        ...(adapter.timeoutHint ? { timeoutHint: (note) => adapter.timeoutHint!(note) } : {}),
      });
    }
    tracker.update(final);
    if (final.state === "failed" || final.state === "canceled") throw adapter.failure(final, handle);
    const parts = await adapter.result(ctx, handle, final);
    return buildResult(handle, parts, options.signal);
  }

  async function downloadImage(
    handle: OperationHandle,
    image: ResultImage,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    if (image.bytes) return image.bytes;
    let bytes: Uint8Array;
    let contentType: string | undefined;
    if (image.url.startsWith("data:")) {
      const decoded = decodeDataUri(image.url);
      if (!decoded)
        throw new UpscaleError(`Failed to decode the result data URI of ${handle.provider}. Report it.`);
      ({ bytes, contentType } = decoded);
    } else {
      const transport = transportOf(handle.provider);
      const ctx = callContext(handle.provider, { signal, clientRequestId: handle.clientRequestId });
      ({ bytes, contentType } = await ctx.retry("read", "download the result", () =>
        fetchBytes(transport, image.url, "result image", signal),
      ));
    }
    measure(image, bytes, contentType);
    return bytes;
  }

  /** Keeps an image's bytes and sets its type and size from them: what it is, not what was said. */
  function measure(image: ResultImage, bytes: Uint8Array, contentType?: string): void {
    const info = sniffImage(bytes);
    image.contentType = info?.contentType ?? contentType ?? image.contentType;
    if (info?.width && info.height) {
      image.width = info.width;
      image.height = info.height;
    }
    image.bytes = bytes;
  }

  async function buildResult(
    handle: OperationHandle,
    parts: ResultParts,
    signal: AbortSignal | undefined,
  ): Promise<UpscaleResult> {
    const { expected } = handle;
    if (parts.images.length === 0) {
      throw new TaskFailedError(
        `Failed to upscale on ${handle.provider}: job ${handle.id} finished without any image. Run it again, or use another provider.`,
        {
          provider: handle.provider,
          status: 200,
          body: parts.raw,
          taskId: handle.id,
          errorType: "no_images",
        },
      );
    }
    const warnings = [...handle.warnings, ...(parts.warnings ?? [])];
    const images: ResultImage[] = parts.images.map((part: ResultImagePart) => ({
      url: part.url,
      width: part.width ?? (expected.inputWidth ? expected.inputWidth * expected.scale : 0),
      height: part.height ?? (expected.inputHeight ? expected.inputHeight * expected.scale : 0),
      contentType: part.contentType ?? expected.contentType ?? contentTypeOf.png,
      ...(part.bytes ? { bytes: part.bytes } : {}),
    }));
    for (const image of images) {
      // Inline images are measured as they are; dimensions the provider did not state for a
      // linked one are measured from the downloaded image.
      if (image.bytes) measure(image, image.bytes);
      else if (!image.width || !image.height) await downloadImage(handle, image, signal);
    }
    if (expected.format) {
      const off = images.filter((i) => formatFromContentType(i.contentType) !== expected.format);
      if (off.length > 0)
        warnings.push(
          `format ${expected.format} was asked for, but ${handle.provider} returned ${[...new Set(off.map((i) => i.contentType))].join(", ")}; it does not let the caller choose the output format.`,
        );
    }
    const result = {
      images,
      ...(parts.seed !== undefined ? { seed: parts.seed } : {}),
      provider: handle.provider,
      taskId: handle.id,
      warnings,
      tried: handle.tried,
      raw: parts.raw,
    } as UpscaleResult;
    Object.defineProperty(result, "download", {
      enumerable: false,
      value: async (index = 0, opts: CallOptions = {}) => {
        const image = images[index];
        if (!image) {
          throw new ValidationError(
            `Failed to download image ${index}: the result has ${images.length} image(s). Use an index below ${images.length}.`,
            {
              provider: handle.provider,
              status: 0,
              fieldErrors: [{ field: "index", message: "out of range" }],
            },
          );
        }
        return downloadImage(handle, image, opts.signal);
      },
    });
    return result;
  }

  const deadlineOf = (timeoutMs: number | undefined) => clock.now() + (timeoutMs ?? pollPolicy.timeoutMs);

  return {
    providers: [...providers],

    async upscale(input, options = {}) {
      const deadline = deadlineOf(options.timeoutMs);
      const prepared = await prepareInput(input);
      const served = await withFailover(
        {
          providers,
          breakerOf,
          onFailover: (from, to, reason) => {
            config.logger?.warn?.(`${from} failed; moving the job to ${to}`, { from, to });
            emit({ type: "failover", from, to, reason });
          },
        },
        async (provider, tried) => {
          const handle = await startOn(provider, prepared, options, deadline, tried);
          return waitFor(handle, { signal: options.signal, deadline, upscale: options });
        },
      );
      return served.value;
    },

    async start(input, options = {}) {
      const deadline = deadlineOf(options.timeoutMs);
      const prepared = await prepareInput(input);
      const served = await withFailover(
        {
          providers,
          breakerOf,
          onFailover: (from, to, reason) => emit({ type: "failover", from, to, reason }),
        },
        (provider, tried) => startOn(provider, prepared, options, deadline, tried),
      );
      return served.value;
    },

    async status(handle, options = {}) {
      const checked = parseHandle(handle);
      requireKey(checked.provider);
      const ctx = callContext(checked.provider, {
        signal: options.signal,
        clientRequestId: checked.clientRequestId,
      });
      return adapterOf(checked.provider).status(ctx, checked);
    },

    async result(handle, options = {}) {
      const checked = parseHandle(handle);
      requireKey(checked.provider);
      const adapter = adapterOf(checked.provider);
      const ctx = callContext(checked.provider, {
        signal: options.signal,
        clientRequestId: checked.clientRequestId,
      });
      const status = await adapter.status(ctx, checked);
      if (!terminal.has(status.state)) {
        throw new UpscaleError(
          `Failed to read the result of ${checked.provider} job ${checked.id}: it is still ${status.providerState ?? status.state}. Poll status() until it is done, or call wait().`,
          { provider: checked.provider, retryable: true },
        );
      }
      if (status.state !== "succeeded") throw adapter.failure(status, checked);
      return buildResult(checked, await adapter.result(ctx, checked, status), options.signal);
    },

    async wait(handle, options = {}) {
      const checked = parseHandle(handle);
      requireKey(checked.provider);
      return waitFor(checked, { signal: options.signal, deadline: deadlineOf(options.timeoutMs) });
    },

    async cancel(handle, options = {}) {
      const checked = parseHandle(handle);
      const adapter = adapterOf(checked.provider);
      if (!adapter.cancel) return false;
      requireKey(checked.provider);
      const ctx = callContext(checked.provider, {
        signal: options.signal,
        clientRequestId: checked.clientRequestId,
      });
      return adapter.cancel(ctx, checked);
    },

    circuitState(provider) {
      return breakerOf(provider)?.state ?? "closed";
    },
  };
}
