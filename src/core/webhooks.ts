/**
 * Webhook verification and parsing. Freepik signs `id.timestamp.body` with HMAC-SHA256 (several
 * space-separated `v1,<base64>` entries may be sent during a secret rotation); fal signs
 * `request_id \n user_id \n timestamp \n sha256hex(body)` with Ed25519, keys published as a JWKS.
 * Both are checked over the raw body bytes, compared in constant time, refused when the
 * timestamp is outside the tolerance (stale or from the future), and refused as replays when the
 * same delivery id comes twice within the window and a replay store is given.
 */
import {
  createHash,
  createHmac,
  createPublicKey,
  type JsonWebKey,
  timingSafeEqual,
  verify,
} from "node:crypto";
import { falWebhookStatus } from "../providers/fal/adapter.ts";
import { taskStatus } from "../providers/freepik/adapter.ts";
import { WebhookPayload as FreepikWebhookPayload } from "../providers/freepik/schemas.ts";
import type { Clock } from "./clock.ts";
import { UpscaleError } from "./errors.ts";
import type { OperationStatus } from "./types.ts";

export type WebhookProvider = "freepik" | "fal";

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
  constructor(message: string, provider: WebhookProvider, reason: WebhookFailure) {
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
  /** Freepik's signing secret. */
  secret?: string;
  /** fal's published keys (`{ keys: [...] }`, OKP/Ed25519). */
  jwks?: { keys: Array<Record<string, unknown>> };
  /** Allowed distance between the signature's timestamp and now (default 300 s). */
  toleranceSeconds?: number;
  /** Now, as epoch ms or a Clock (default the wall clock). */
  now?: number | Clock;
  replayStore?: ReplayStore;
}

export interface VerifiedWebhook {
  provider: WebhookProvider;
  /** The delivery id (Freepik `webhook-id`, fal's request id). */
  id: string;
  timestamp: number;
  payload: unknown;
  /** The payload in the shape `status()` gives. */
  status: OperationStatus;
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

function bodyText(raw: string | Uint8Array): string {
  return typeof raw === "string" ? raw : new TextDecoder().decode(raw);
}

function bodyBytes(raw: string | Uint8Array): Uint8Array {
  return typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function nowMs(now: VerifyWebhookOptions["now"]): number {
  if (now === undefined) return Date.now();
  return typeof now === "number" ? now : now.now();
}

function fail(provider: WebhookProvider, reason: WebhookFailure, what: string, fix: string): never {
  throw new WebhookVerificationError(
    `Failed to verify the ${provider} webhook: ${what}. ${fix}`,
    provider,
    reason,
  );
}

function checkTimestamp(
  provider: WebhookProvider,
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

async function checkReplay(
  provider: WebhookProvider,
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

function parseJson(provider: WebhookProvider, raw: string | Uint8Array): unknown {
  try {
    return JSON.parse(bodyText(raw));
  } catch {
    return fail(provider, "bad-body", "the body is not JSON", "Pass the raw body exactly as received.");
  }
}

async function verifyFreepik(options: VerifyWebhookOptions): Promise<VerifiedWebhook> {
  const id = header(options.headers, "webhook-id");
  const signature = header(options.headers, "webhook-signature");
  if (!id || !signature)
    fail(
      "freepik",
      "missing-header",
      "webhook-id or webhook-signature is missing",
      "Pass the request's headers as received.",
    );
  if (!options.secret)
    fail("freepik", "no-key", "no secret was given", "Pass the webhook secret from Freepik's dashboard.");
  const timestamp = checkTimestamp("freepik", header(options.headers, "webhook-timestamp"), options);
  const expected = createHmac("sha256", Buffer.from(options.secret, "utf8"))
    .update(Buffer.from(`${id}.${timestamp}.`, "utf8"))
    .update(bodyBytes(options.rawBody))
    .digest();
  const matches = signature
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .some((entry) => equalBytes(Buffer.from(entry.slice(3), "base64"), expected));
  if (!matches)
    fail(
      "freepik",
      "bad-signature",
      "no v1 signature matches",
      "Check the secret and that the body is the raw bytes received.",
    );
  await checkReplay("freepik", id, options);
  const payload = parseJson("freepik", options.rawBody);
  return { provider: "freepik", id, timestamp, payload, status: parseWebhook("freepik", payload) };
}

async function verifyFal(options: VerifyWebhookOptions): Promise<VerifiedWebhook> {
  const requestId = header(options.headers, "x-fal-webhook-request-id");
  const userId = header(options.headers, "x-fal-webhook-user-id");
  const signature = header(options.headers, "x-fal-webhook-signature");
  if (!requestId || !userId || !signature)
    fail(
      "fal",
      "missing-header",
      "an X-Fal-Webhook-* header is missing",
      "Pass the request's headers as received.",
    );
  const keys = options.jwks?.keys ?? [];
  if (keys.length === 0)
    fail("fal", "no-key", "no JWKS keys were given", "Pass fal's JWKS (fetch it from fal and cache it).");
  const timestamp = checkTimestamp("fal", header(options.headers, "x-fal-webhook-timestamp"), options);
  const digest = createHash("sha256").update(bodyBytes(options.rawBody)).digest("hex");
  const message = Buffer.from([requestId, userId, String(timestamp), digest].join("\n"), "utf8");
  const sig = /^[0-9a-f]{128}$/i.test(signature) ? Buffer.from(signature, "hex") : undefined;
  const matches =
    sig !== undefined &&
    keys.some((jwk) => {
      if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519") return false;
      try {
        return verify(null, message, createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }), sig);
      } catch {
        return false;
      }
    });
  if (!matches)
    fail(
      "fal",
      "bad-signature",
      "the signature matches none of the JWKS keys",
      "Check the JWKS and that the body is the raw bytes received.",
    );
  await checkReplay("fal", requestId, options);
  const payload = parseJson("fal", options.rawBody);
  return { provider: "fal", id: requestId, timestamp, payload, status: parseWebhook("fal", payload) };
}

/** Verifies a webhook delivery; throws WebhookVerificationError saying why it is refused. */
export function verifyWebhook(
  provider: WebhookProvider,
  options: VerifyWebhookOptions,
): Promise<VerifiedWebhook> {
  return provider === "freepik" ? verifyFreepik(options) : verifyFal(options);
}

/** A webhook body (parsed JSON or the raw text) in the shape `status()` gives. */
export function parseWebhook(provider: WebhookProvider, body: unknown): OperationStatus {
  const payload = typeof body === "string" || body instanceof Uint8Array ? parseJson(provider, body) : body;
  try {
    if (provider === "fal") return falWebhookStatus(payload);
    return { ...taskStatus(FreepikWebhookPayload.parse(payload)), raw: payload };
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
