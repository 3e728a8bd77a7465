import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fingerprint, Journal, type JournalEntry, redactHeaders } from "../../mocks/engine/journal.ts";
import { rateWindowSeconds, TrafficRates } from "../../mocks/engine/rates.ts";

const entry = (overrides: Partial<Omit<JournalEntry, "seq">> = {}): Omit<JournalEntry, "seq"> => ({
  time: 0,
  provider: "freepik",
  operation: "upscale",
  method: "POST",
  path: "/v1/ai/image-upscaler",
  status: 200,
  durationMs: 1,
  headers: {},
  requestBytes: 0,
  faults: [],
  ...overrides,
});

describe("fingerprint and redactHeaders", () => {
  it("a fingerprint is fp: plus the first 8 hex of sha256", () => {
    const hex = createHash("sha256").update("sk-live-123").digest("hex");
    expect(fingerprint("sk-live-123")).toBe(`fp:${hex.slice(0, 8)}`);
    expect(fingerprint("sk-live-123")).toMatch(/^fp:[0-9a-f]{8}$/);
    expect(fingerprint("a")).not.toBe(fingerprint("b"));
  });

  it("replaces every credential header with its fingerprint and keeps the rest", () => {
    const headers = {
      authorization: "Bearer sk-1",
      "api-key": "ideo-2",
      "x-freepik-api-key": "fp-3",
      "x-magnific-api-key": "mg-4",
      "x-admin-token": "adm-5",
      cookie: "session=6",
      "content-type": "application/json",
      "x-mock-scenario": "outage",
      "x-absent": undefined,
    };
    const redacted = redactHeaders(headers);
    expect(redacted).toEqual({
      authorization: fingerprint("Bearer sk-1"),
      "api-key": fingerprint("ideo-2"),
      "x-freepik-api-key": fingerprint("fp-3"),
      "x-magnific-api-key": fingerprint("mg-4"),
      "x-admin-token": fingerprint("adm-5"),
      cookie: fingerprint("session=6"),
      "content-type": "application/json",
      "x-mock-scenario": "outage",
    });
    const text = JSON.stringify(redacted);
    for (const secret of ["sk-1", "ideo-2", "fp-3", "mg-4", "adm-5", "session=6"])
      expect(text).not.toContain(secret);
  });
});

describe("Journal", () => {
  it("numbers entries from 1 and returns them as recorded", () => {
    const journal = new Journal();
    const first = journal.record(entry({ path: "/a" }));
    const second = journal.record(entry({ path: "/b" }));
    expect([first, second]).toEqual([1, 2]);
    expect(journal.list().map((e) => [e.seq, e.path])).toEqual([
      [1, "/a"],
      [2, "/b"],
    ]);
    expect(journal.size).toBe(2);
  });

  it("keeps only the newest `capacity` entries, numbering on", () => {
    const journal = new Journal(3);
    for (let i = 1; i <= 7; i++) journal.record(entry({ path: `/${i}` }));
    expect(journal.size).toBe(3);
    expect(journal.list().map((e) => [e.seq, e.path])).toEqual([
      [5, "/5"],
      [6, "/6"],
      [7, "/7"],
    ]);
  });

  it("filters by provider, status, since (seq) and limit (the newest)", () => {
    const journal = new Journal();
    journal.record(entry({ provider: "fal", status: 200 }));
    journal.record(entry({ provider: "freepik", status: 429 }));
    journal.record(entry({ provider: "fal", status: 429 }));
    journal.record(entry({ provider: "fal", status: 200 }));
    journal.record(entry({ provider: "freepik", status: 200 }));
    const seqs = (list: JournalEntry[]) => list.map((e) => e.seq);
    expect(seqs(journal.list({ provider: "fal" }))).toEqual([1, 3, 4]);
    expect(seqs(journal.list({ status: 429 }))).toEqual([2, 3]);
    expect(seqs(journal.list({ since: 3 }))).toEqual([4, 5]);
    expect(seqs(journal.list({ limit: 2 }))).toEqual([4, 5]);
    expect(seqs(journal.list({ provider: "fal", status: 200, limit: 1 }))).toEqual([4]);
    expect(seqs(journal.list({ provider: "fal", since: 0, limit: 10 }))).toEqual([1, 3, 4]);
    expect(journal.list({ provider: "ideogram" })).toEqual([]);
  });

  it("clear empties it; numbering continues", () => {
    const journal = new Journal();
    journal.record(entry());
    journal.record(entry());
    journal.clear();
    expect(journal.size).toBe(0);
    expect(journal.list()).toEqual([]);
    expect(journal.record(entry())).toBe(3);
  });
});

describe("Journal: exchanges", () => {
  const exchange = (body: string) => ({
    host: "api",
    query: new URLSearchParams("a=1&api_key=secret-q"),
    requestBody: new TextEncoder().encode(body),
    response: {
      headers: { "content-type": "application/json" },
      body: { kind: "json" as const, value: { body } },
    },
  });

  it("keeps bodies for the newest entries only, and the answer's size for all", () => {
    const journal = new Journal(10, 2);
    for (let i = 1; i <= 4; i++) journal.record(entry({ path: `/${i}` }), exchange(`b${i}`));
    const all = journal.exchanges();
    expect(all.map((e) => e.requestBody !== undefined)).toEqual([false, false, true, true]);
    expect(all.map((e) => e.response.size)).toEqual([13, 13, 13, 13]); // {"body":"b1"};
    expect(all[3]!.response.body).toEqual({ kind: "json", value: { body: "b4" } });
    expect(new TextDecoder().decode(all[3]!.requestBody!.bytes)).toBe("b4");
  });

  it("finds one exchange by sequence number, with its query redacted", () => {
    const journal = new Journal(3);
    for (let i = 1; i <= 5; i++) journal.record(entry({ path: `/${i}` }), exchange(`b${i}`));
    expect(journal.exchange(2)).toBeUndefined();
    expect(journal.exchange(6)).toBeUndefined();
    const found = journal.exchange(4)!;
    expect(found.entry.path).toBe("/4");
    expect(found.host).toBe("api");
    expect(found.query).toBe(`a=1&api_key=${encodeURIComponent(fingerprint("secret-q"))}`);
  });

  it("keeps only the start of a request body over 1 MB", () => {
    const journal = new Journal();
    journal.record(entry(), { ...exchange(""), requestBody: new Uint8Array(2 * 1024 * 1024) });
    const kept = journal.exchange(1)!.requestBody!;
    expect(kept.truncated).toBe(true);
    expect(kept.bytes.byteLength).toBe(64 * 1024);
  });
});

describe("TrafficRates", () => {
  it("counts requests and errors per provider per second, and forgets seconds older than its window", () => {
    const rates = new TrafficRates();
    const t = 1_700_000_000_000;
    rates.count("fal", 200, t);
    rates.count("fal", 503, t + 10);
    rates.count("fal", 0, t + 1_000);
    rates.count("freepik", 429, t + 1_500);
    const { providers } = rates.series(3, t + 1_999);
    expect(providers).toEqual([
      { provider: "fal", requests: [0, 2, 1], errors: [0, 1, 1] },
      { provider: "freepik", requests: [0, 0, 1], errors: [0, 0, 1] },
    ]);
    // The same ring slot, a whole window later, starts from zero.
    rates.count("fal", 200, t + rateWindowSeconds * 1000);
    expect(rates.series(1, t + rateWindowSeconds * 1000).providers[0]).toEqual({
      provider: "fal",
      requests: [1],
      errors: [0],
    });
  });
});

describe("Journal: kept bodies stay within a byte budget", () => {
  it("lets the oldest bodies go first once the kept ones hold more than the budget", () => {
    const journal = new Journal(10, 10, [], 2_500);
    const withBytes = (n: number) => ({
      host: "api",
      query: new URLSearchParams(),
      requestBody: new Uint8Array(n),
      response: { headers: {}, body: { kind: "bytes" as const, value: new Uint8Array(n) } },
    });
    for (let i = 0; i < 4; i++) journal.record(entry(), withBytes(500)); // 1 000 bytes each
    const kept = journal.exchanges().map((e) => e.requestBody !== undefined);
    expect(kept).toEqual([false, false, true, true]);
    expect(journal.exchanges().map((e) => e.response.size)).toEqual([500, 500, 500, 500]);
  });
});
