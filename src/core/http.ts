/**
 * The transport under every adapter: one openapi-fetch client per provider host (typed on the
 * generated `paths`), an auth middleware that adds the provider's header only on its configured
 * API origin, a wall-clock guard per attempt, and one way of reading answers: a 2xx is parsed with
 * the shared zod schema (extra fields tolerated; a break is a ContractError naming the field), any
 * other status is turned into the hierarchy's error by the adapter's mapper.
 */
import createClient, { type Client } from "openapi-fetch";
import type { z } from "zod";
import type { Clock } from "./clock.ts";
import { ApiError, ContractError, NetworkError, redactSecrets, redactValue, TimeoutError } from "./errors.ts";
import { truncate } from "./http-errors.ts";
import { attemptTimer, linkSignals } from "./signals.ts";
import type { Logger, ProviderId, SendRequest } from "./types.ts";
import type { OriginPolicy } from "./url-policy.ts";
import { describe } from "./url-policy.ts";

export { classifyHttpError, type ErrorWords, truncate } from "./http-errors.ts";

export interface Transport {
  provider: ProviderId;
  clock: Clock;
  /** Resolved at call time, so MSW (or a test) can patch globalThis.fetch after creation. */
  fetch: SendRequest;
  /** Headers that carry the credentials (empty when no key is configured). */
  authHeaders: Record<string, string>;
  /** Extra headers for every API request (e.g. `x-mock-namespace`). */
  headers: Record<string, string>;
  /** Values that must never appear in messages, logs or `raw`. */
  secrets: string[];
  policy: OriginPolicy;
  /** Wall-clock limit of one HTTP attempt (ms). */
  requestTimeoutMs: number;
  logger?: Logger;
  /** Where the key comes from, for messages ("<ENV_KEY> or apiKeys.<provider>"). */
  keyHint: string;
}

/**
 * What openapi-fetch builds, through its `Request` option, in place of a Fetch Request: the URL
 * and init as they are. The transport then calls fetch once with them; handed a built Request,
 * fetch would copy it, piping the body through a fresh stream (0.1–0.2 ms for a 250 KB JSON body
 * on the in-process simulator, several times per upscale).
 */
class UnbuiltRequest {
  readonly method: string;
  constructor(
    readonly url: string,
    readonly init: RequestInit,
  ) {
    this.method = init.method ?? "GET";
  }
}

/**
 * An openapi-fetch client for one provider host. Every path is below `baseUrl`, so whether the
 * credentials and extra headers go along is decided once: only when it is the configured API
 * origin. Redirects are not followed: fetch would carry a custom key header (`x-<name>-api-key`,
 * `Api-Key`) to wherever the Location points, since it strips only `Authorization` across
 * origins. A 3xx is reported instead (classifyHttpError).
 */
export function createApiClient<Paths extends {}>(baseUrl: string, transport: Transport): Client<Paths> {
  const headers = transport.policy.isApiUrl(baseUrl)
    ? { ...transport.headers, ...transport.authHeaders }
    : {};
  return createClient<Paths>({
    baseUrl,
    headers,
    redirect: "manual",
    Request: UnbuiltRequest as unknown as typeof Request,
    fetch: (request) => {
      const { url, init } = request as unknown as UnbuiltRequest;
      return transport.fetch(url, init);
    },
  });
}

/** What one openapi-fetch call (or a raw fetch) gave back. `data` is the 2xx body as text. */
export interface Exchange {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** What an adapter's error mapper is given. */
export interface ErrorContext {
  provider: ProviderId;
  operation: string;
  status: number;
  body: unknown;
  headers: Headers;
  requestId: string | undefined;
  retryAfterMs: number | undefined;
  keyHint: string;
}

export type ErrorMapper = (ctx: ErrorContext) => Error;

export interface SendOptions<S extends z.ZodType> {
  /** "submit the upscale", "read the task status": the X of "Failed to X". */
  operation: string;
  schema: S;
  mapError: ErrorMapper;
  signal?: AbortSignal;
  /** The provider's request id, from the answer. */
  requestIdOf?: (headers: Headers, body: unknown) => string | undefined;
}

export interface Sent<T> {
  value: T;
  /** The 2xx body as parsed JSON, scrubbed of secrets. */
  raw: unknown;
  response: Response;
}

const timedOut = Symbol("attempt timed out");

/** Whether a fetch failure happened before anything was sent (nothing can have been billed). */
export function refusedBeforeSending(error: unknown): boolean {
  const codes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && codes.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Runs one HTTP attempt with the wall-clock guard and turns "no answer" into typed errors. */
export async function attempt(
  transport: Transport,
  operation: string,
  signal: AbortSignal | undefined,
  exec: (signal: AbortSignal) => Promise<Exchange>,
): Promise<Exchange> {
  const linked = linkSignals(signal);
  const stop = attemptTimer(transport.requestTimeoutMs, () => linked.abort(timedOut));
  const started = Date.now();
  try {
    const exchange = await exec(linked.signal);
    transport.logger?.debug?.(`${transport.provider}: ${operation} → ${exchange.response.status}`, {
      provider: transport.provider,
      status: exchange.response.status,
      ms: Date.now() - started,
    });
    return exchange;
  } catch (error) {
    if (linked.signal.reason === timedOut) {
      throw new TimeoutError(
        `Failed to ${operation} on ${transport.provider}: no answer within ${transport.requestTimeoutMs} ms. The connection was dropped; retry later or raise requestTimeoutMs.`,
        { provider: transport.provider, timeoutMs: transport.requestTimeoutMs, scope: "attempt" },
      );
    }
    if (signal?.aborted) throw signal.reason ?? error;
    const sent = !refusedBeforeSending(error);
    const reason = redactSecrets(error instanceof Error ? error.message : String(error), transport.secrets);
    throw new NetworkError(
      `Failed to ${operation} on ${transport.provider}: ${sent ? "the connection failed" : "the connection was refused"} (${reason}). Check the network and the base URL, then retry.`,
      { provider: transport.provider, sent, cause: error },
    );
  } finally {
    stop();
    linked.dispose();
  }
}

/** Seconds or an HTTP date, as ms from now on the clock. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function zodPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "(body)";
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

/** Parses a 2xx body with the shared schema; a break is a ContractError naming the field path. */
export function parseBody<S extends z.ZodType>(
  transport: Transport,
  operation: string,
  schema: S,
  body: unknown,
  status: number,
  requestId: string | undefined,
): { value: z.infer<S>; raw: unknown } {
  const json = readJson(transport, operation, body, status, requestId);
  return { value: checkBody(transport, operation, schema, json, status, requestId), raw: json };
}

/** A 2xx body as JSON (text is parsed), scrubbed of secrets; text that is not JSON is a ContractError. */
function readJson(
  transport: Transport,
  operation: string,
  body: unknown,
  status: number,
  requestId: string | undefined,
): unknown {
  const raw = redactValue(body, transport.secrets);
  if (typeof raw !== "string" && raw !== undefined) return raw;
  try {
    return JSON.parse(raw ?? "");
  } catch {
    throw new ContractError(
      `Failed to ${operation} on ${transport.provider}: the ${status} answer is not JSON (${JSON.stringify(String(raw ?? "").slice(0, 60))}). The provider's API may have changed; report it with the request id.`,
      {
        provider: transport.provider,
        status,
        body: raw,
        path: "(body)",
        ...(requestId ? { requestId } : {}),
      },
    );
  }
}

/**
 * Checks a 2xx body already read as JSON with the shared schema; a break is a ContractError
 * naming the field path. For adapters that must look at the JSON before choosing its schema.
 */
export function checkBody<S extends z.ZodType>(
  transport: Transport,
  operation: string,
  schema: S,
  json: unknown,
  status: number,
  requestId: string | undefined,
): z.infer<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: zodPath(issue.path), message: issue.message }));
  const first = issues[0] ?? { path: "(body)", message: "invalid" };
  throw new ContractError(
    `Failed to ${operation} on ${transport.provider}: the ${status} answer breaks its schema at \`${first.path}\` (${first.message}). The provider's API may have changed; report it with the request id.`,
    {
      provider: transport.provider,
      status,
      body: json,
      path: first.path,
      issues,
      ...(requestId ? { requestId } : {}),
    },
  );
}

function defaultRequestId(headers: Headers): string | undefined {
  return headers.get("x-request-id") ?? undefined;
}

/** The mapped error of a non-2xx exchange. */
export function errorOf(
  transport: Transport,
  options: Pick<SendOptions<z.ZodType>, "operation" | "mapError" | "requestIdOf">,
  exchange: Exchange,
): Error {
  const { response } = exchange;
  const body = redactValue(exchange.error, transport.secrets);
  return options.mapError({
    provider: transport.provider,
    operation: options.operation,
    status: response.status,
    body,
    headers: response.headers,
    requestId: (options.requestIdOf ?? defaultRequestId)(response.headers, body),
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), transport.clock.now()),
    keyHint: transport.keyHint,
  });
}

/** One attempt: call, then parse the 2xx with `schema` or map the error. */
export async function send<S extends z.ZodType>(
  transport: Transport,
  options: SendOptions<S>,
  exec: (signal: AbortSignal) => Promise<Exchange>,
): Promise<Sent<z.infer<S>>> {
  const exchange = await attempt(transport, options.operation, options.signal, exec);
  const { response } = exchange;
  if (!response.ok) throw errorOf(transport, options, exchange);
  const requestId = (options.requestIdOf ?? defaultRequestId)(response.headers, undefined);
  const { value, raw } = parseBody(
    transport,
    options.operation,
    options.schema,
    exchange.data ?? "",
    response.status,
    requestId,
  );
  return { value, raw, response };
}

/** A plain fetch (no credentials) shaped like an openapi-fetch exchange, 2xx body as text. */
export async function rawExchange(
  transport: Transport,
  url: string,
  init: RequestInit,
  signal: AbortSignal,
): Promise<Exchange> {
  const response = await transport.fetch(url, { ...init, signal });
  const text = await response.text();
  if (response.ok) return { data: text, response };
  let error: unknown = text;
  try {
    error = JSON.parse(text);
  } catch {}
  return { error, response };
}

/** The download of a provider URL (result image): policy-checked, no credentials. */
export async function fetchBytes(
  transport: Transport,
  url: string,
  what: string,
  signal: AbortSignal | undefined,
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const checked = transport.policy.check(url, what);
  const exchange = await attempt(transport, `download the ${what}`, signal, async (s) => {
    const response = await transport.fetch(checked.href, { signal: s });
    if (!response.ok) return { error: await response.text().catch(() => ""), response };
    return { data: new Uint8Array(await response.arrayBuffer()), response };
  });
  const { response } = exchange;
  if (!response.ok) {
    const text = typeof exchange.error === "string" ? exchange.error : "";
    const expired = response.status === 403 || response.status === 404 || response.status === 410;
    throw new ApiError(
      `Failed to download the ${what} from ${describe(url)}: the server answered ${response.status}${
        text ? ` (${truncate(redactSecrets(text, transport.secrets), 120)})` : ""
      }. ${expired ? "Result links expire; run the upscale again to get a fresh one." : "Retry later."}`,
      {
        provider: transport.provider,
        status: response.status,
        body: text,
        retryable: !expired && response.status >= 500,
      },
    );
  }
  const bytes = exchange.data as Uint8Array;
  return { bytes, contentType: response.headers.get("content-type") ?? "application/octet-stream" };
}
