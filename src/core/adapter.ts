/**
 * What a provider adapter is: a thin translation between the common options and one provider's
 * wire format (start, status, result, cancel), on top of the shared transport. Adapters make one
 * call per HTTP request through `ctx.send`, which repeats it with the right policy for its kind
 * (`ctx.retry` when an attempt needs more than send and parse).
 */
import type { z } from "zod";
import type { Clock } from "./clock.ts";
import { ValidationError } from "./errors.ts";
import type { Exchange, SendOptions, Sent, Transport } from "./http.ts";
import type { BytesInput, PreparedInput } from "./input.ts";
import type { Warnings } from "./mapping.ts";
import type { OperationKind } from "./retry.ts";
import type { OperationHandle, OperationStatus, ProviderId, UpscaleOptions } from "./types.ts";

export interface CallContext {
  transport: Transport;
  clock: Clock;
  signal?: AbortSignal;
  /** Clock time past which no retry wait starts. */
  deadline?: number;
  /** Runs one request with the retry policy of its kind. */
  retry<T>(kind: OperationKind, operation: string, fn: (attempt: number) => Promise<T>): Promise<T>;
  /**
   * One provider request: sent on the transport under the call's signal, its 2xx parsed with
   * `options.schema`, and retried with the policy of its kind.
   */
  send<S extends z.ZodType>(
    kind: OperationKind,
    options: Omit<SendOptions<S>, "signal">,
    exec: (signal: AbortSignal) => Promise<Exchange>,
  ): Promise<Sent<z.infer<S>>>;
  /** Downloads a remote input for providers that need the bytes (no credentials). */
  materialize(input: PreparedInput): Promise<BytesInput>;
  /** Minted once per start, outside every retry loop. */
  clientRequestId: string;
}

/** What a start produced; the client adds version, provider, times, warnings and failover. */
export interface StartedJob {
  id: string;
  state: OperationHandle["state"];
  endpoint?: string;
  urls?: OperationHandle["urls"];
  output?: unknown;
  /** The scale the provider will actually apply. */
  scale: number;
}

export interface ResultImagePart {
  url: string;
  width?: number;
  height?: number;
  contentType?: string;
  bytes?: Uint8Array;
}

export interface ResultParts {
  images: ResultImagePart[];
  seed?: number;
  raw: unknown;
  warnings?: string[];
}

export interface ProviderAdapter {
  readonly id: ProviderId;
  start(
    ctx: CallContext,
    input: PreparedInput,
    options: UpscaleOptions,
    warnings: Warnings,
  ): Promise<StartedJob>;
  /** One look at a pending job (a `done` handle is answered from the handle). */
  status(ctx: CallContext, handle: OperationHandle): Promise<OperationStatus>;
  /** The output of a finished job; throws the typed failure when it failed. */
  result(ctx: CallContext, handle: OperationHandle, status: OperationStatus): Promise<ResultParts>;
  /** Best-effort cancel; false when the provider has none or the job had already finished. */
  cancel?(ctx: CallContext, handle: OperationHandle): Promise<boolean>;
  /** The typed error for a status in state `failed` (or `canceled`). */
  failure(status: OperationStatus, handle: OperationHandle): Error;
  /** A provider-specific verdict on a job that is not moving (e.g. a task that never starts when out of credit). */
  stalled?(
    status: OperationStatus,
    handle: OperationHandle,
    now: number,
    options: UpscaleOptions,
  ): Error | undefined;
  /** Words for the timeout message, given where the job was. */
  timeoutHint?(providerState: string | undefined): string | undefined;
}

/** How a provider is wired: hosts, credentials, and the adapter factory. */
export interface ProviderModule {
  id: ProviderId;
  /** Environment variable holding the key. */
  envKey: string;
  /** Real hosts by name; `apiHosts` get credentials, the rest (CDNs, asset hosts) never do. */
  defaultBases: Record<string, string>;
  apiHosts: string[];
  /** Host patterns results and uploads may come from (see ProviderFacts.resultHosts). */
  resultHosts: readonly string[];
  authHeaders(key: string): Record<string, string>;
  create(transport: Transport, bases: Record<string, string>): ProviderAdapter;
}

/** The status of a `done` handle (a sync provider that already answered). */
export function doneStatus(
  handle: OperationHandle,
  failed?: { type: string; message: string },
): OperationStatus {
  return {
    provider: handle.provider,
    id: handle.id,
    state: failed ? "failed" : "succeeded",
    ...(failed ? { error: failed } : {}),
    raw: handle.output,
  };
}

/**
 * A request body checked against its schema before anything is sent; a break is a
 * ValidationError naming the provider and each field, then `fix`: what the caller should change.
 */
export function checkedRequest<S extends z.ZodType>(
  provider: ProviderId,
  schema: S,
  body: unknown,
  fix: string,
): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fieldErrors = parsed.error.issues.map((i) => ({ field: i.path.join("."), message: i.message }));
  throw new ValidationError(
    `Failed to prepare the ${provider} upscale: ${fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; ")}. ${fix}.`,
    { provider, status: 0, fieldErrors },
  );
}

/** The provider answer stored in a handle, checked again (handles travel between processes). */
export function handleOutput<S extends z.ZodType>(schema: S, handle: OperationHandle): z.infer<S> {
  const parsed = schema.safeParse(handle.output);
  if (parsed.success) return parsed.data;
  const field = parsed.error.issues[0]?.path.join(".") || "output";
  throw new ValidationError(
    `Failed to read the ${handle.provider} handle ${handle.id}: its output does not match the provider's answer (at ${field}). Pass the handle exactly as start() returned it.`,
    { provider: handle.provider, status: 0, fieldErrors: [{ field: `output.${field}`, message: "invalid" }] },
  );
}
