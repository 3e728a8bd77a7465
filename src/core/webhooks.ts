/**
 * What every webhook check shares, whoever signs: the raw body (never a re-serialisation),
 * constant-time comparison, a timestamp tolerance (stale or from the future), replay refusal when
 * a replay store is given, and errors that say what to do. Each provider's signature scheme lives
 * in its own folder (`src/providers/<p>/webhook.ts`) and is a `WebhookScheme` over these helpers.
 */
import { timingSafeEqual } from "node:crypto";
import type { Clock } from "./clock.ts";
import { UpscaleError } from "./errors.ts";
import type { OperationStatus, ProviderId } from "./types.ts";

export type WebhookFailure =
  | "missing-header"
  | "bad-signature"
  | "stale"
  | "future"
  | "replay"
  | "bad-body"
  | "no-key";

export class WebhookVerificationError extends UpscaleError {
  override name = "WebhookVerificationError";
  readonly reason: WebhookFailure;
  constructor(message: string, provider: ProviderId, reason: WebhookFailure) {
    super(message, { provider, retryable: false });
    this.reason = reason;
  }
}

/** Remembers delivery ids for the tolerance window. `seen` records the id and says if it was there. */
export interface ReplayStore {
  seen(id: string, ttlMs: number, now: number): boolean | Promise<boolean>;
}

/** An in-memory replay store, bounded (oldest ids forgotten first). */
export class MemoryReplayStore implements ReplayStore {
  readonly #ids = new Map<string, number>();
  constructor(private readonly maxEntries = 10_000) {}

  seen(id: string, ttlMs: number, now: number): boolean {
    for (const [key, expiresAt] of this.#ids) {
      if (expiresAt > now) break;
      this.#ids.delete(key);
    }
    const expiresAt = this.#ids.get(id);
    if (expiresAt !== undefined && expiresAt > now) return true;
    this.#ids.delete(id);
    this.#ids.set(id, now + ttlMs);
    if (this.#ids.size > this.maxEntries) this.#ids.delete(this.#ids.keys().next().value as string);
    return false;
  }
}

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  headers: HeaderBag;
  /** The body exactly as received: never a re-serialisation. */
  rawBody: string | Uint8Array;
  /** The shared signing secret, for schemes that sign with a secret (HMAC). */
  secret?: string;
  /** The provider's published public keys (`{ keys: [...] }`, a JWKS), for schemes that sign with a key pair. */
  jwks?: { keys: Array<Record<string, unknown>> };
  /** Allowed distance between the signature's timestamp and now (default 300 s). */
  toleranceSeconds?: number;
  /** Now, as epoch ms or a Clock (default the wall clock). */
  now?: number | Clock;
  replayStore?: ReplayStore;
}

export interface VerifiedWebhook {
  provider: ProviderId;
  /** The delivery id, as the provider's scheme names it. */
  id: string;
  timestamp: number;
  payload: unknown;
  /** The payload in the shape `status()` gives. */
  status: OperationStatus;
}

export function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

export function bodyText(raw: string | Uint8Array): string {
  return typeof raw === "string" ? raw : new TextDecoder().decode(raw);
}

export function bodyBytes(raw: string | Uint8Array): Uint8Array {
  return typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function nowMs(now: VerifyWebhookOptions["now"]): number {
  if (now === undefined) return Date.now();
  return typeof now === "number" ? now : now.now();
}

export function fail(provider: ProviderId, reason: WebhookFailure, what: string, fix: string): never {
  throw new WebhookVerificationError(
    `Failed to verify the ${provider} webhook: ${what}. ${fix}`,
    provider,
    reason,
  );
}

export function checkTimestamp(
  provider: ProviderId,
  text: string | undefined,
  options: VerifyWebhookOptions,
): number {
  if (!text || !/^\d{1,12}$/.test(text))
    fail(
      provider,
      "missing-header",
      "the timestamp header is missing or not Unix seconds",
      "Pass the request's headers as received.",
    );
  const timestamp = Number(text);
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor(nowMs(options.now) / 1000);
  if (now - timestamp > tolerance)
    fail(
      provider,
      "stale",
      `the timestamp is ${now - timestamp} s old (tolerance ${tolerance} s)`,
      "Refuse it; a fresh delivery will follow if it is genuine.",
    );
  if (timestamp - now > tolerance)
    fail(
      provider,
      "future",
      `the timestamp is ${timestamp - now} s in the future (tolerance ${tolerance} s)`,
      "Check the server's clock.",
    );
  return timestamp;
}

export async function checkReplay(
  provider: ProviderId,
  id: string,
  options: VerifyWebhookOptions,
): Promise<void> {
  if (!options.replayStore) return;
  const ttlMs = (options.toleranceSeconds ?? 300) * 2 * 1000;
  if (await options.replayStore.seen(`${provider}:${id}`, ttlMs, nowMs(options.now)))
    fail(
      provider,
      "replay",
      `delivery ${id} was already received`,
      "Answer 2xx without processing it again.",
    );
}

export function parseJson(provider: ProviderId, raw: string | Uint8Array): unknown {
  try {
    return JSON.parse(bodyText(raw));
  } catch {
    return fail(provider, "bad-body", "the body is not JSON", "Pass the raw body exactly as received.");
  }
}

/** One provider's signature scheme: checks a delivery and reads its payload. */
export interface WebhookScheme {
  /** Checks the signature and the timestamp; answers the delivery id and the signed timestamp. */
  verify(options: VerifyWebhookOptions): { id: string; timestamp: number };
  /** The parsed payload in the shape `status()` gives; throws on a payload of another shape. */
  status(payload: unknown): OperationStatus;
}

/** Verifies a delivery with `scheme`; throws WebhookVerificationError saying why it is refused. */
export async function verifyWith(
  provider: ProviderId,
  scheme: WebhookScheme,
  options: VerifyWebhookOptions,
): Promise<VerifiedWebhook> {
  const { id, timestamp } = scheme.verify(options);
  await checkReplay(provider, id, options);
  const payload = parseJson(provider, options.rawBody);
  return { provider, id, timestamp, payload, status: parseWith(provider, scheme, payload) };
}

/** A webhook body (parsed JSON or the raw text) in the shape `status()` gives. */
export function parseWith(provider: ProviderId, scheme: WebhookScheme, body: unknown): OperationStatus {
  const payload = typeof body === "string" || body instanceof Uint8Array ? parseJson(provider, body) : body;
  try {
    return scheme.status(payload);
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw error;
    return fail(
      provider,
      "bad-body",
      `the body does not match ${provider}'s webhook payload`,
      "Check the provider and the body.",
    );
  }
}
