/**
 * A bounded ring of what a namespace's simulators were asked and answered. Credentials are
 * reduced to a fingerprint before anything is recorded.
 */
import { createHash } from "node:crypto";
import type { SimBody } from "./sim-http.ts";

export interface JournalEntry {
  seq: number;
  time: number;
  provider: string;
  operation: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** Request headers with credentials replaced by `fp:<8 hex>` fingerprints. */
  headers: Record<string, string>;
  requestBytes: number;
  /** The scenario rules that fired, by fault kind. */
  faults: string[];
  taskId?: string;
  /** A short excerpt of a JSON or text answer (errors are what people look for). */
  responseExcerpt?: string;
  /** What the simulator let pass but a reader should know (e.g. a part sent in an unusual form). */
  notes?: string[];
}

/** Headers that carry a credential whoever the provider; each provider's own come from its facts. */
const credentialHeaders = new Set(["authorization", "x-admin-token", "cookie"]);
const noNames: ReadonlySet<string> = new Set();

const recentFingerprints = new Map<string, string>();

/** A stable, non-reversible stand-in for a secret: enough to tell two keys apart in a log. */
export function fingerprint(secret: string): string {
  // Every request of a run carries the same few keys: remember them instead of hashing each time.
  const known = recentFingerprints.get(secret);
  if (known) return known;
  const computed = `fp:${createHash("sha256").update(secret).digest("hex").slice(0, 8)}`;
  if (recentFingerprints.size >= 64) recentFingerprints.clear();
  recentFingerprints.set(secret, computed);
  return computed;
}

/**
 * Header names that may carry a credential even though no provider asks for them there (a key
 * sent in the wrong header is a common mistake, and must not be journaled in clear either).
 */
const credentialLike = /auth|key|token|secret|passw|cookie|session|signature|credential/i;

/** Whether `name` (lower case) may carry a credential; `named` adds the providers' own headers. */
export function isCredentialHeader(name: string, named: ReadonlySet<string> = noNames): boolean {
  return credentialHeaders.has(name) || named.has(name) || credentialLike.test(name);
}

export function redactHeaders(
  headers: Record<string, string | undefined>,
  named: ReadonlySet<string> = noNames,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = isCredentialHeader(name, named) ? fingerprint(value) : value;
  }
  return out;
}

/** The query string with credential-like parameters as fingerprints, as headers are. */
export function redactQuery(query: URLSearchParams, named: ReadonlySet<string> = noNames): URLSearchParams {
  let redacted: URLSearchParams | undefined;
  for (const [name, value] of query) {
    if (!isCredentialHeader(name.toLowerCase(), named)) continue;
    redacted ??= new URLSearchParams(query);
    redacted.set(name, fingerprint(value));
  }
  return redacted ?? query;
}

/**
 * The parts of an exchange kept beside its entry, by reference (nothing is copied or
 * serialised while a request is answered). Bodies are kept for the newest `bodiesKept`
 * entries only; older entries keep their sizes.
 */
export interface ExchangeRecord {
  host: string;
  query: URLSearchParams;
  requestBody: Uint8Array;
  response: { headers: Record<string, string>; body: SimBody };
}

/** One journaled exchange in full, as the detail view and the HAR export read it. */
export interface JournalExchange {
  entry: JournalEntry;
  host?: string;
  /** Redacted like the headers. */
  query: string;
  /** Undefined once the body is no longer kept; `truncated` when only its start was. */
  requestBody?: { bytes: Uint8Array; truncated: boolean };
  response: {
    headers: Record<string, string>;
    /** Size of the answer's body in bytes (-1 when it was streamed or is unknown). */
    size: number;
    body?: SimBody;
  };
}

/** Request bodies over this are kept as their first `requestPreviewBytes` only. */
const requestKeepBytes = 1024 * 1024;
const requestPreviewBytes = 64 * 1024;

export interface JournalFilter {
  provider?: string;
  status?: number;
  since?: number;
  limit?: number;
}

interface StoredEntry {
  entry: Omit<JournalEntry, "headers">;
  /** The request's headers as received; redacted once, when first listed. */
  rawHeaders?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  exchange?: ExchangeRecord;
  requestTruncated?: boolean;
  /** The answer's body size, once known (measured when its body is let go at the latest). */
  responseSize?: number;
  bodiesReleased?: boolean;
  /** Bytes this entry's kept bodies hold (counted against `keptBytesBudget`). */
  keptBytes?: number;
}

/** Bytes a kept body holds; JSON values count as 0 (small, and measuring them costs a stringify). */
function heldBytes(body: SimBody): number {
  return body.kind === "bytes" ? body.value.byteLength : body.kind === "text" ? body.value.length : 0;
}

/** Bytes of a body as sent; JSON is serialised to measure it (off the request path). */
function bodySize(body: SimBody): number {
  switch (body.kind) {
    case "json":
      return Buffer.byteLength(JSON.stringify(body.value) ?? "");
    case "text":
      return Buffer.byteLength(body.value);
    case "bytes":
      return body.value.byteLength;
    case "empty":
      return 0;
    case "stream":
      return -1;
  }
}

/**
 * A fixed ring: recording is O(1) on the hot path (no array shifting), and credentials are
 * reduced to fingerprints when entries are read, not for every request.
 */
export class Journal {
  readonly #ring: Array<StoredEntry | undefined>;
  readonly #bodiesKept: number;
  readonly #keptBytesBudget: number;
  #keptBytes = 0;
  #next = 0;
  #size = 0;
  #seq = 0;

  /** The providers' own credential headers (their facts' `credentialHeaders`), lower case. */
  readonly #credentialHeaders: ReadonlySet<string>;

  /**
   * Bodies are kept for the newest `bodiesKept` entries, and only while together they hold at
   * most `keptBytesBudget` bytes (older ones are let go first), so big uploads and images do not
   * pile up in a namespace's journal.
   */
  constructor(
    capacity = 1_000,
    bodiesKept = 200,
    credentialHeaders: Iterable<string> = [],
    keptBytesBudget = 16 * 1024 * 1024,
  ) {
    this.#credentialHeaders = new Set(credentialHeaders);
    this.#ring = new Array(Math.max(1, capacity));
    this.#bodiesKept = Math.max(0, Math.min(bodiesKept, this.#ring.length));
    this.#keptBytesBudget = keptBytesBudget;
  }

  /** Records an exchange; returns its sequence number. */
  record(
    entry: Omit<JournalEntry, "seq" | "headers"> & { headers: Record<string, string | undefined> },
    exchange?: ExchangeRecord,
  ): number {
    const { headers, ...rest } = entry;
    const seq = ++this.#seq;
    const stored: StoredEntry = { entry: { ...rest, seq }, rawHeaders: headers };
    if (exchange) {
      const big = exchange.requestBody.byteLength > requestKeepBytes;
      stored.exchange = big
        ? { ...exchange, requestBody: exchange.requestBody.slice(0, requestPreviewBytes) }
        : exchange;
      stored.requestTruncated = big;
      stored.keptBytes = stored.exchange.requestBody.byteLength + heldBytes(exchange.response.body);
      this.#keptBytes += stored.keptBytes;
    }
    this.#ring[this.#next] = stored;
    this.#next = (this.#next + 1) % this.#ring.length;
    if (this.#size < this.#ring.length) this.#size++;
    // The entry that just fell out of the body window lets its bodies go (its sizes stay).
    const leaving =
      this.#ring[(this.#next - 1 - this.#bodiesKept + 2 * this.#ring.length) % this.#ring.length];
    if (leaving && leaving !== stored) this.#release(leaving);
    else if (this.#bodiesKept === 0) this.#release(stored);
    if (this.#keptBytes > this.#keptBytesBudget) this.#releaseOldest();
    return seq;
  }

  /** Lets the oldest kept bodies go until the kept ones fit the byte budget again. */
  #releaseOldest(): void {
    const window = Math.min(this.#size, this.#bodiesKept);
    for (let back = window - 1; back >= 0 && this.#keptBytes > this.#keptBytesBudget; back--) {
      const stored = this.#ring[(this.#next - 1 - back + 2 * this.#ring.length) % this.#ring.length];
      if (stored) this.#release(stored);
    }
  }

  #release(stored: StoredEntry): void {
    if (stored.bodiesReleased || !stored.exchange) return;
    this.#keptBytes -= stored.keptBytes ?? 0;
    releaseBodies(stored);
  }

  /** The newest exchanges in full (bodies where still kept), oldest first. */
  exchanges(filter: JournalFilter = {}): JournalExchange[] {
    return this.#select(filter).map((stored) => this.#exchange(stored));
  }

  /** One exchange by sequence number, or undefined once it left the ring. */
  exchange(seq: number): JournalExchange | undefined {
    const back = this.#seq - seq;
    if (!Number.isInteger(back) || back < 0 || back >= this.#size) return undefined;
    const stored = this.#ring[(this.#next - 1 - back + 2 * this.#ring.length) % this.#ring.length];
    return stored?.entry.seq === seq ? this.#exchange(stored) : undefined;
  }

  #exchange(stored: StoredEntry): JournalExchange {
    const entry = this.#entry(stored);
    const exchange = stored.exchange;
    const body = stored.bodiesReleased ? undefined : exchange?.response.body;
    stored.responseSize ??= body ? bodySize(body) : -1;
    return {
      entry,
      query: exchange ? redactQuery(exchange.query, this.#credentialHeaders).toString() : "",
      ...(exchange ? { host: exchange.host } : {}),
      ...(exchange && !stored.bodiesReleased
        ? { requestBody: { bytes: exchange.requestBody, truncated: stored.requestTruncated === true } }
        : {}),
      response: {
        headers: exchange ? redactHeaders(exchange.response.headers, this.#credentialHeaders) : {},
        size: stored.responseSize,
        ...(body ? { body } : {}),
      },
    };
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    return this.#select(filter).map((stored) => this.#entry(stored));
  }

  #select(filter: JournalFilter): StoredEntry[] {
    const matched: StoredEntry[] = [];
    const start = (this.#next - this.#size + this.#ring.length) % this.#ring.length;
    for (let i = 0; i < this.#size; i++) {
      const stored = this.#ring[(start + i) % this.#ring.length]!;
      const e = stored.entry;
      if (filter.provider !== undefined && e.provider !== filter.provider) continue;
      if (filter.status !== undefined && e.status !== filter.status) continue;
      if (filter.since !== undefined && e.seq <= filter.since) continue;
      matched.push(stored);
    }
    return filter.limit === undefined ? matched : matched.slice(-filter.limit);
  }

  #entry(stored: StoredEntry): JournalEntry {
    if (stored.rawHeaders) {
      stored.headers = redactHeaders(stored.rawHeaders, this.#credentialHeaders);
      stored.rawHeaders = undefined;
    }
    return { ...stored.entry, headers: stored.headers ?? {} };
  }

  clear(): void {
    this.#ring.fill(undefined);
    this.#keptBytes = 0;
    this.#next = 0;
    this.#size = 0;
  }

  get size(): number {
    return this.#size;
  }
}

/** Lets an entry's bodies go, measuring the answer's first (its size stays in the journal). */
function releaseBodies(stored: StoredEntry): void {
  if (stored.bodiesReleased || !stored.exchange) return;
  stored.responseSize ??= bodySize(stored.exchange.response.body);
  stored.bodiesReleased = true;
  stored.exchange = {
    ...stored.exchange,
    requestBody: new Uint8Array(),
    response: { headers: stored.exchange.response.headers, body: { kind: "empty" } },
  };
}
