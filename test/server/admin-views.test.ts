/**
 * The admin routes behind the dashboard's views, over HTTP: a Freepik task's timeline (its
 * states as spans, its calls and faults as marks), one exchange in detail with its spec check,
 * and the traffic rates.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../mocks/engine/journal.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";

const key = "fpk-views-secret-1234";
let server: MockServer;
let taskId: string;
const admin = async <T>(path: string) => (await (await fetch(`${server.url}/__admin/${path}`)).json()) as T;

type Row = {
  id: string;
  provider: string;
  outcome: string;
  spans: Array<{ state: string; from: number; to: number; kind: string }>;
  marks: Array<{ kind: string; label: string; seq?: number }>;
};

beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none" });
  const headers = { "x-freepik-api-key": key, "content-type": "application/json" };
  const submitted = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`, {
    method: "POST",
    headers,
    body: JSON.stringify({ image: toBase64(await makeImage(24, 16)) }),
  });
  taskId = ((await submitted.json()) as { data: { task_id: string } }).data.task_id;
  const poll = (extra: Record<string, string> = {}) =>
    fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler/${taskId}`, {
      headers: { ...headers, ...extra },
    });
  await poll();
  // A poll answered by a fault, and one whose answer is broken on purpose.
  await poll({ "x-mock-scenario": "outage" });
  await poll({ "x-mock-scenario": "malformed" });
  for (let i = 0; i < 4; i++) await poll();
}, 30_000);

afterAll(async () => {
  await server?.close();
});

describe("GET /__admin/timeline", () => {
  it("draws the task's states in order and marks each call, faults apart", async () => {
    const { rows, total } = await admin<{ rows: Row[]; total: number }>("timeline");
    expect(total).toBe(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ id: taskId, provider: "freepik", outcome: "succeeded" });
    // The lifecycle's states in order, ending in success (which ones a poll saw depends on timing).
    const lifecycle = ["CREATED", "IN_PROGRESS", "COMPLETED"];
    const drawn = row.spans.map((s) => s.state);
    expect(drawn.at(-1)).toBe("COMPLETED");
    expect(drawn.length).toBeGreaterThanOrEqual(2);
    const positions = drawn.map((state) => lifecycle.indexOf(state));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
    expect(row.spans.at(-1)!.kind).toBe("success");
    for (const [a, b] of row.spans.slice(0, -1).map((s, i) => [s, row.spans[i + 1]!] as const))
      expect(a.to).toBe(b.from);
    expect(row.marks.filter((m) => m.kind === "call").length).toBeGreaterThanOrEqual(5);
    const faults = row.marks.filter((m) => m.kind === "fault");
    expect(faults.map((m) => m.label)).toEqual([
      expect.stringMatching(/503 \[outage\]/),
      expect.stringMatching(/200 \[malformed\]/),
    ]);
  });

  it("filters by provider and outcome, and refuses an unknown outcome", async () => {
    expect((await admin<{ total: number }>("timeline?provider=fal")).total).toBe(0);
    expect((await admin<{ total: number }>("timeline?outcome=running")).total).toBe(0);
    expect((await admin<{ total: number }>("timeline?outcome=succeeded&provider=freepik")).total).toBe(1);
    const bad = await fetch(`${server.url}/__admin/timeline?outcome=maybe`);
    expect(bad.status).toBe(400);
  });
});

describe("GET /__admin/journal/<seq>", () => {
  type Detail = {
    url: string;
    request: { headers: Record<string, string>; body: { kind: string; images?: Array<{ src: string }> } };
    response: { body: { kind: string; text?: string } };
    faults: string[];
    validation: { checked: boolean; valid?: boolean; problems?: string[] };
  };

  it("shows the submit with its key as a fingerprint, its image, and a valid answer", async () => {
    const detail = await admin<Detail>("journal/1");
    expect(detail.url).toBe(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`);
    expect(detail.request.headers["x-freepik-api-key"]).toBe(fingerprint(key));
    expect(JSON.stringify(detail)).not.toContain(key);
    expect(detail.request.body.kind).toBe("json");
    expect(detail.request.body.images?.[0]?.src).toMatch(/^data:image\/png;base64,/);
    expect(detail.response.body.text).toContain(taskId);
    expect(detail.validation).toEqual({ checked: true, valid: true, problems: [] });
  });

  it("says an answer broken by a fault is not valid against the spec", async () => {
    const { entries } = await admin<{ entries: Array<{ seq: number; faults: string[] }> }>("journal");
    const malformed = entries.find((e) => e.faults.includes("malformed"))!;
    const detail = await admin<Detail>(`journal/${malformed.seq}`);
    expect(detail.faults).toEqual(["malformed"]);
    expect(detail.validation.checked).toBe(true);
    expect(detail.validation.valid).toBe(false);
    expect(detail.validation.problems!.join("\n")).toMatch(/getUpscale/);
  });

  it("answers 404 for an entry that is not in the journal", async () => {
    expect((await fetch(`${server.url}/__admin/journal/9999`)).status).toBe(404);
  });
});

describe("GET /__admin/rates", () => {
  it("counts the run's requests and errors per provider", async () => {
    const { providers } = await admin<{
      providers: Array<{ provider: string; requests: number[]; errors: number[] }>;
    }>("rates?seconds=60");
    const freepik = providers.find((p) => p.provider === "freepik")!;
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(freepik.requests).toHaveLength(60);
    expect(sum(freepik.requests)).toBe(8);
    expect(sum(freepik.errors)).toBe(1);
  });
});
