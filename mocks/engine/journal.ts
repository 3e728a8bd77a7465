/**
 * A bounded ring of what a namespace's simulators were asked and answered. Credentials are
 * reduced to a fingerprint before anything is recorded.
 */
import { createHash } from "node:crypto";

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
}

const credentialHeaders = new Set([
  "authorization",
  "api-key",
  "x-freepik-api-key",
  "x-magnific-api-key",
  "x-admin-token",
  "cookie",
]);

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

export function isCredentialHeader(name: string): boolean {
  return credentialHeaders.has(name) || credentialLike.test(name);
}

export function redactHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = isCredentialHeader(name) ? fingerprint(value) : value;
  }
  return out;
}

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
}

/**
 * A fixed ring: recording is O(1) on the hot path (no array shifting), and credentials are
 * reduced to fingerprints when entries are read, not for every request.
 */
export class Journal {
  readonly #ring: Array<StoredEntry | undefined>;
  #next = 0;
  #size = 0;
  #seq = 0;

  constructor(capacity = 1_000) {
    this.#ring = new Array(Math.max(1, capacity));
  }

  /** Records an exchange; returns its sequence number. */
  record(
    entry: Omit<JournalEntry, "seq" | "headers"> & { headers: Record<string, string | undefined> },
  ): number {
    const { headers, ...rest } = entry;
    const seq = ++this.#seq;
    this.#ring[this.#next] = { entry: { ...rest, seq }, rawHeaders: headers };
    this.#next = (this.#next + 1) % this.#ring.length;
    if (this.#size < this.#ring.length) this.#size++;
    return seq;
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    const matched: JournalEntry[] = [];
    const start = (this.#next - this.#size + this.#ring.length) % this.#ring.length;
    for (let i = 0; i < this.#size; i++) {
      const stored = this.#ring[(start + i) % this.#ring.length]!;
      const e = stored.entry;
      if (filter.provider !== undefined && e.provider !== filter.provider) continue;
      if (filter.status !== undefined && e.status !== filter.status) continue;
      if (filter.since !== undefined && e.seq <= filter.since) continue;
      if (stored.rawHeaders) {
        stored.headers = redactHeaders(stored.rawHeaders);
        stored.rawHeaders = undefined;
      }
      matched.push({ ...e, headers: stored.headers ?? {} });
    }
    return filter.limit === undefined ? matched : matched.slice(-filter.limit);
  }

  clear(): void {
    this.#ring.fill(undefined);
    this.#next = 0;
    this.#size = 0;
  }

  get size(): number {
    return this.#size;
  }
}
