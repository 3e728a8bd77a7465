/**
 * One job on one provider: `startJob` submits it and returns the plain-JSON handle; `waitForJob`
 * follows it through the poll loop (progress events, stall detection, cancel on timeout) to a
 * result or the provider's failure.
 */
import type { ProviderAdapter } from "../core/adapter.ts";
import type { PreparedInput } from "../core/input.ts";
import { Warnings } from "../core/mapping.ts";
import { ProgressTracker, pollUntil } from "../core/poll.ts";
import type { OperationHandle, OperationStatus, ProviderId, UpscaleResult } from "../core/types.ts";
import type { UpscaleOptions } from "../providers/options.ts";
import { buildResult } from "./results.ts";
import type { CallScope, ClientRuntime } from "./runtime.ts";

export const terminalStates: ReadonlySet<string> = new Set(["succeeded", "failed", "canceled"]);

export async function startJob(
  runtime: ClientRuntime,
  provider: ProviderId,
  input: PreparedInput,
  options: UpscaleOptions,
  deadline: number,
  tried: ProviderId[],
): Promise<OperationHandle> {
  runtime.requireKey(provider);
  const adapter = runtime.adapterOf(provider);
  const warnings = new Warnings(provider);
  // Minted once for this job, outside every retry loop below.
  const clientRequestId = globalThis.crypto.randomUUID();
  const ctx = runtime.callContext(provider, { signal: options.signal, deadline, clientRequestId });
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
    createdAt: runtime.clock.now(),
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
  runtime.emit({ type: "submitted", provider, id: handle.id });
  runtime.config.logger?.info?.(`${provider}: started ${handle.id}`, {
    provider,
    id: handle.id,
    state: handle.state,
  });
  return handle;
}

interface WaitScope {
  signal?: AbortSignal | undefined;
  deadline: number;
  upscale?: UpscaleOptions;
}

/** Logs an odd thing a status read noted (an unknown status value) once, and keeps it for the result. */
function noteWarning(
  runtime: ClientRuntime,
  handle: OperationHandle,
  noted: Set<string>,
  status: OperationStatus,
) {
  if (!status.warning || noted.has(status.warning)) return;
  noted.add(status.warning);
  runtime.config.logger?.warn?.(status.warning, { provider: handle.provider, id: handle.id });
}

/** Polls a running job until it ends, reporting progress and cancelling it if the wait times out. */
function pollJob(
  runtime: ClientRuntime,
  adapter: ProviderAdapter,
  handle: OperationHandle,
  scope: WaitScope & CallScope,
  tracker: ProgressTracker,
  noted: Set<string>,
): Promise<OperationStatus> {
  const { provider } = handle;
  const { clock, config } = runtime;
  const ctx = runtime.callContext(provider, scope);
  const cancelCtx = runtime.callContext(provider, { clientRequestId: handle.clientRequestId });
  const cancel = async () => {
    const cancelled = await adapter.cancel!(cancelCtx, handle);
    config.logger?.info?.(`${provider}: cancel ${handle.id} → ${cancelled}`, { provider, id: handle.id });
    return cancelled;
  };
  return pollUntil({
    clock,
    policy: runtime.pollPolicy,
    deadline: scope.deadline,
    ...(scope.signal ? { signal: scope.signal } : {}),
    random: runtime.random,
    what: `${provider} job ${handle.id}`,
    provider,
    taskId: handle.id,
    check: async () => {
      const status = await adapter.status(ctx, handle);
      noteWarning(runtime, handle, noted, status);
      tracker.update(status);
      if (terminalStates.has(status.state)) return { done: true, value: status };
      const stalled = adapter.stalled?.(status, handle, clock.now(), scope.upscale ?? {});
      if (stalled) throw stalled;
      return {
        done: false,
        ...(status.retryAfterMs !== undefined ? { retryAfterMs: status.retryAfterMs } : {}),
        note: status.providerState ?? status.state,
      };
    },
    ...(adapter.cancel ? { cancel } : {}),
    ...(adapter.timeoutHint ? { timeoutHint: (note: string | undefined) => adapter.timeoutHint!(note) } : {}),
  });
}

export async function waitForJob(
  runtime: ClientRuntime,
  handle: OperationHandle,
  scope: WaitScope,
): Promise<UpscaleResult> {
  const { provider } = handle;
  const adapter = runtime.adapterOf(provider);
  const callScope = { ...scope, clientRequestId: handle.clientRequestId };
  const ctx = runtime.callContext(provider, callScope);
  // One tracker for the whole wait, so a state is reported once.
  const tracker = new ProgressTracker(
    runtime.config.onProgress ? runtime.emit : undefined,
    provider,
    handle.id,
  );
  const noted = new Set<string>();
  const final =
    handle.state === "done"
      ? await adapter.status(ctx, handle)
      : await pollJob(runtime, adapter, handle, callScope, tracker, noted);
  tracker.update(final);
  if (final.state === "failed" || final.state === "canceled") throw adapter.failure(final, handle);
  const parts = await adapter.result(ctx, handle, final);
  const warnings = [...noted, ...(parts.warnings ?? [])];
  return buildResult(runtime, handle, { ...parts, warnings }, scope.signal);
}
