/**
 * The `Upscaler` a caller holds: each method is one short path through the runtime, the job
 * functions and failover. Handles are parsed (and so validated) before anything is sent. The
 * methods are bound, so `const { upscale } = createUpscaler(…)` works.
 */

import type { CircuitState } from "../core/circuit-breaker.ts";
import { UpscaleError } from "../core/errors.ts";
import { withFailover } from "../core/failover.ts";
import { parseHandle } from "../core/handle.ts";
import { prepareInput } from "../core/input.ts";
import type {
  ImageInput,
  OperationHandle,
  OperationStatus,
  ProviderId,
  UpscaleResult,
} from "../core/types.ts";
import type { UpscaleOptions } from "../providers/options.ts";
import type { CallOptions, Upscaler, WaitOptions } from "../upscaler-api.ts";
import { startJob, terminalStates, waitForJob } from "./jobs.ts";
import { buildResult } from "./results.ts";
import type { ClientRuntime } from "./runtime.ts";

export class UnifiedUpscaler implements Upscaler {
  readonly providers: ProviderId[];
  readonly #runtime: ClientRuntime;

  constructor(runtime: ClientRuntime, providers: readonly ProviderId[]) {
    this.#runtime = runtime;
    this.providers = [...providers];
  }

  #deadlineOf(timeoutMs: number | undefined): number {
    return this.#runtime.clock.now() + (timeoutMs ?? this.#runtime.pollPolicy.timeoutMs);
  }

  /** Runs `job` on the first provider whose circuit lets it, moving to the next on failure. */
  async #failover<T>(
    job: (provider: ProviderId, tried: ProviderId[]) => Promise<T>,
    log: boolean,
  ): Promise<T> {
    const runtime = this.#runtime;
    const served = await withFailover(
      {
        providers: this.providers,
        breakerOf: runtime.breakerOf,
        onFailover: (from, to, reason) => {
          if (log) runtime.config.logger?.warn?.(`${from} failed; moving the job to ${to}`, { from, to });
          runtime.emit({ type: "failover", from, to, reason });
        },
      },
      job,
    );
    return served.value;
  }

  /** A parsed handle and the context to call its provider in. */
  #open(handle: OperationHandle, options: CallOptions) {
    const checked = parseHandle(handle);
    this.#runtime.requireKey(checked.provider);
    const adapter = this.#runtime.adapterOf(checked.provider);
    const ctx = this.#runtime.callContext(checked.provider, {
      signal: options.signal,
      clientRequestId: checked.clientRequestId,
    });
    return { checked, adapter, ctx };
  }

  upscale = async (input: ImageInput, options: UpscaleOptions = {}): Promise<UpscaleResult> => {
    const deadline = this.#deadlineOf(options.timeoutMs);
    const prepared = await prepareInput(input);
    return this.#failover(async (provider, tried) => {
      const handle = await startJob(this.#runtime, provider, prepared, options, deadline, tried);
      return waitForJob(this.#runtime, handle, { signal: options.signal, deadline, upscale: options });
    }, true);
  };

  start = async (input: ImageInput, options: UpscaleOptions = {}): Promise<OperationHandle> => {
    const deadline = this.#deadlineOf(options.timeoutMs);
    const prepared = await prepareInput(input);
    return this.#failover(
      (provider, tried) => startJob(this.#runtime, provider, prepared, options, deadline, tried),
      false,
    );
  };

  status = async (handle: OperationHandle, options: CallOptions = {}): Promise<OperationStatus> => {
    const { checked, adapter, ctx } = this.#open(handle, options);
    return adapter.status(ctx, checked);
  };

  result = async (handle: OperationHandle, options: CallOptions = {}): Promise<UpscaleResult> => {
    const { checked, adapter, ctx } = this.#open(handle, options);
    const status = await adapter.status(ctx, checked);
    if (!terminalStates.has(status.state)) {
      throw new UpscaleError(
        `Failed to read the result of ${checked.provider} job ${checked.id}: it is still ${status.providerState ?? status.state}. Poll status() until it is done, or call wait().`,
        { provider: checked.provider, retryable: true },
      );
    }
    if (status.state !== "succeeded") throw adapter.failure(status, checked);
    return buildResult(this.#runtime, checked, await adapter.result(ctx, checked, status), options.signal);
  };

  wait = async (handle: OperationHandle, options: WaitOptions = {}): Promise<UpscaleResult> => {
    const checked = parseHandle(handle);
    this.#runtime.requireKey(checked.provider);
    return waitForJob(this.#runtime, checked, {
      signal: options.signal,
      deadline: this.#deadlineOf(options.timeoutMs),
    });
  };

  cancel = async (handle: OperationHandle, options: CallOptions = {}): Promise<boolean> => {
    const checked = parseHandle(handle);
    const adapter = this.#runtime.adapterOf(checked.provider);
    if (!adapter.cancel) return false;
    this.#runtime.requireKey(checked.provider);
    const ctx = this.#runtime.callContext(checked.provider, {
      signal: options.signal,
      clientRequestId: checked.clientRequestId,
    });
    return adapter.cancel(ctx, checked);
  };

  circuitState = (provider: ProviderId): CircuitState => {
    return this.#runtime.breakerOf(provider)?.state ?? "closed";
  };
}
