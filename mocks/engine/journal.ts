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

export function redactHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = credentialHeaders.has(name) ? fingerprint(value) : value;
  }
  return out;
}

export interface JournalFilter {
  provider?: string;
  status?: number;
  since?: number;
  limit?: number;
}

export class Journal {
  readonly #entries: JournalEntry[] = [];
  readonly #capacity: number;
  #seq = 0;

  constructor(capacity = 1_000) {
    this.#capacity = capacity;
  }

  record(entry: Omit<JournalEntry, "seq">): JournalEntry {
    const full = { ...entry, seq: ++this.#seq };
    this.#entries.push(full);
    if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
    return full;
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    const matched = this.#entries.filter(
      (e) =>
        (filter.provider === undefined || e.provider === filter.provider) &&
        (filter.status === undefined || e.status === filter.status) &&
        (filter.since === undefined || e.seq > filter.since),
    );
    return filter.limit === undefined ? matched : matched.slice(-filter.limit);
  }

  clear(): void {
    this.#entries.length = 0;
  }

  get size(): number {
    return this.#entries.length;
  }
}
