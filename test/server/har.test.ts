/**
 * GET /__admin/journal.har: a real run (a Freepik task polled to the end, a fal queue run, an
 * outage answer, a key sent in the query) exported as HAR 1.2, checked against the published
 * HAR schema (the har-schema package) and searched for the keys the run sent.
 */
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../mocks/engine/journal.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;

const freepikKey = "fpk-live-9f8e7d6c5b4a";
const falKey = "fal-key-id-4242:fal-secret-31337";
const queryKey = "query-secret-abcdef";

type Har = { log: { version: string; creator: { name: string }; entries: HarEntry[] } };
type HarEntry = {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    headers: Array<{ name: string; value: string }>;
    queryString: Array<{ name: string; value: string }>;
    postData?: { mimeType: string; text: string; comment?: string };
    bodySize: number;
  };
  response: { status: number; content: { size: number; mimeType: string; text?: string; comment?: string } };
  timings: Record<string, number>;
  _provider: string;
  _namespace: string;
  _faults: string[];
};

function harValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
  addFormats(ajv);
  const schemas = require("har-schema") as Record<string, object>;
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return ajv.getSchema("har.json#")!;
}

let server: MockServer;
const admin = (path: string) => fetch(`${server.url}/__admin/${path}`);

async function freepikRun(image: Uint8Array, namespace = "default") {
  const headers = {
    "x-freepik-api-key": freepikKey,
    "content-type": "application/json",
    "x-mock-namespace": namespace,
  };
  const submitted = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`, {
    method: "POST",
    headers,
    body: JSON.stringify({ image: toBase64(image) }),
  });
  expect(submitted.status).toBe(200);
  const { data } = (await submitted.json()) as { data: { task_id: string } };
  for (let i = 0; i < 10; i++) {
    const polled = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler/${data.task_id}`, {
      headers,
    });
    const body = (await polled.json()) as { data: { status: string } };
    if (body.data.status === "COMPLETED") return;
  }
  throw new Error("the Freepik task did not complete");
}

async function falRun(image: Uint8Array) {
  const headers = { authorization: `Key ${falKey}`, "content-type": "application/json" };
  const submitted = await fetch(`${server.urls["fal.queue"]}/fal-ai/ideogram/upscale`, {
    method: "POST",
    headers,
    body: JSON.stringify({ image_url: `data:image/png;base64,${toBase64(image)}` }),
  });
  expect(submitted.status).toBe(200);
  const { status_url, response_url } = (await submitted.json()) as {
    status_url: string;
    response_url: string;
  };
  for (let i = 0; i < 10; i++) {
    const status = (await (await fetch(status_url, { headers })).json()) as { status: string };
    if (status.status === "COMPLETED") break;
  }
  const result = (await (await fetch(response_url, { headers })).json()) as {
    images: Array<{ url: string }>;
  };
  expect((await fetch(result.images[0]!.url)).status).toBe(200);
}

beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none" });
  const small = await makeImage(24, 16);
  await freepikRun(small);
  await falRun(small);
  // An outage answer, a key in the query, and a large body (cut in the export).
  await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler?api_key=${queryKey}`, {
    method: "POST",
    headers: { "x-freepik-api-key": freepikKey, "x-mock-scenario": "outage" },
    body: "{}",
  });
  await freepikRun(await makeImage(200, 200), "big");
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("GET /__admin/journal.har", () => {
  it("is valid HAR 1.2 that holds every journaled exchange and no key", async () => {
    const response = await admin("journal.har");
    expect(response.status).toBe(200);
    const text = await response.text();
    const har = JSON.parse(text) as Har;
    const validate = harValidator();
    expect(validate(har), JSON.stringify(validate.errors)).toBe(true);
    // The schema has teeth: an entry without its timings is refused.
    const { timings: _timings, ...withoutTimings } = har.log.entries[0]!;
    expect(validate({ log: { ...har.log, entries: [withoutTimings] } })).toBe(false);
    expect(har.log.version).toBe("1.2");
    expect(har.log.creator.name).toBe("upscale-harness");

    const journal = (await (await admin("journal?limit=1000")).json()) as { entries: unknown[] };
    expect(har.log.entries).toHaveLength(journal.entries.length);
    for (const secret of [freepikKey, falKey, "fal-secret-31337", queryKey])
      expect(text).not.toContain(secret);
    const header = (e: HarEntry, name: string) => e.request.headers.find((h) => h.name === name)?.value;
    const freepik = har.log.entries.find((e) => e._provider === "freepik" && e.response.status === 200)!;
    expect(header(freepik, "x-freepik-api-key")).toBe(fingerprint(freepikKey));
    const fal = har.log.entries.find((e) => e._provider === "fal")!;
    expect(header(fal, "authorization")).toBe(fingerprint(`Key ${falKey}`));
  });

  it("shows the run's requests with URLs, bodies, answers and faults", async () => {
    const har = (await (await admin("journal.har")).json()) as Har;
    const submit = har.log.entries.find((e) => e.request.method === "POST" && e._provider === "freepik")!;
    expect(submit.request.url).toBe(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`);
    expect(submit.request.postData?.mimeType).toBe("application/json");
    expect(JSON.parse(submit.request.postData!.text)).toHaveProperty("image");
    expect(submit.response.content.mimeType).toContain("application/json");
    expect(JSON.parse(submit.response.content.text!)).toHaveProperty("data.task_id");
    expect(Date.parse(submit.startedDateTime)).toBeGreaterThan(Date.now() - 120_000);

    const outage = har.log.entries.find((e) => e._faults.includes("outage"))!;
    expect(outage.response.status).toBe(503);
    expect(outage.request.queryString).toEqual([{ name: "api_key", value: fingerprint(queryKey) }]);
    expect(outage.request.url).toContain(`api_key=${encodeURIComponent(fingerprint(queryKey))}`);

    const image = har.log.entries.find((e) => e.response.content.mimeType.startsWith("image/"))!;
    expect(image.response.content.size).toBeGreaterThan(0);
  });

  it("cuts large bodies and keeps their size", async () => {
    const har = (await (await admin("journal.har?namespace=big")).json()) as Har;
    expect(har.log.entries.every((e) => e._namespace === "big")).toBe(true);
    const submit = har.log.entries.find((e) => e.request.method === "POST")!;
    expect(submit.request.bodySize).toBeGreaterThan(64 * 1024);
    expect(submit.request.postData!.text.length).toBe(64 * 1024);
    expect(submit.request.postData!.comment).toMatch(/Truncated/);
  });

  it("filters by provider and since (a sequence number or a date-time)", async () => {
    const fal = (await (await admin("journal.har?provider=fal")).json()) as Har;
    expect(fal.log.entries.length).toBeGreaterThan(2);
    expect(fal.log.entries.every((e) => e._provider === "fal")).toBe(true);
    const later = (await (await admin("journal.har?namespace=default&since=3")).json()) as Har;
    const all = (await (await admin("journal.har?namespace=default")).json()) as Har;
    expect(later.log.entries).toHaveLength(all.log.entries.length - 3);
    const future = (await (
      await admin(`journal.har?since=${new Date(Date.now() + 60_000).toISOString()}`)
    ).json()) as Har;
    expect(future.log.entries).toEqual([]);
    const bad = await admin("journal.har?since=yesterday");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/since/);
  });
});
