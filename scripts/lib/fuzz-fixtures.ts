/**
 * What valid fuzz requests refer to on a running simulator (task ids, uploaded files, result
 * URLs), created through a transport, and the placeholders in a case replaced by them.
 */
import type { SimResponse } from "../../mocks/engine/sim-http.ts";
import { fuzzKey, poolSizes, ref, type WireRequest } from "./fuzz-cases.ts";
import type { FuzzTransport } from "./fuzz-transport.ts";
import { encodeMultipart, multipart } from "./multipart.ts";

export interface LiveFixtures {
  values: Map<string, string>;
}

export function jsonOf(answer: SimResponse): Record<string, unknown> {
  if (answer.body.kind === "json") return answer.body.value as Record<string, unknown>;
  if (answer.body.kind === "text") return JSON.parse(answer.body.value) as Record<string, unknown>;
  throw new Error(`Expected a JSON answer, got ${answer.status} with a ${answer.body.kind} body.`);
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

async function ok(what: string, answer: Promise<SimResponse>): Promise<Record<string, unknown>> {
  const done = await answer;
  if (done.status < 200 || done.status >= 300)
    throw new Error(
      `Failed to prepare the fuzz fixtures: ${what} answered ${done.status}: ${JSON.stringify(done.body).slice(0, 300)}`,
    );
  return jsonOf(done);
}

type Image = FuzzTransport["inputs"]["images"][number];
type Values = Map<string, string>;

const freepikKey = { "x-freepik-api-key": fuzzKey, "content-type": "application/json" };
const falKey = { authorization: `Key ${fuzzKey}`, "content-type": "application/json" };

const get = (path: string, headers: Record<string, string>): WireRequest => ({
  method: "GET",
  path,
  query: "",
  headers,
  body: new Uint8Array(),
});

const post = (path: string, headers: Record<string, string>, body: Uint8Array): WireRequest => ({
  method: "POST",
  path,
  query: "",
  headers,
  body,
});

/** 1min.ai: an uploaded asset. */
async function oneminFixtures(t: FuzzTransport, png: Image, values: Values): Promise<void> {
  const upload = multipart(
    [{ name: "asset", value: png.data, filename: png.filename, type: png.contentType }],
    "fixture-boundary-0123",
  );
  const asset = await ok(
    "1min.ai asset upload",
    t.send(
      "onemin",
      "api",
      post("/api/assets", { "api-key": fuzzKey, "content-type": upload.contentType }, upload.body),
    ),
  );
  values.set(ref.oneminAsset, String((asset.fileContent as { path: string }).path));
}

/** fal: a file on fal storage, and queued runs (one finished, one fresh). */
async function falFixtures(t: FuzzTransport, png: Image, values: Values): Promise<void> {
  const initiated = await ok(
    "fal upload initiate",
    t.send("fal", "rest", {
      ...post("/storage/upload/initiate", falKey, json({ content_type: "image/png", file_name: "in.png" })),
      query: "storage_type=fal-cdn-v3",
    }),
  );
  const put = await t.sendUrl("PUT", String(initiated.upload_url), { "content-type": "image/png" }, png.data);
  if (put.status !== 200)
    throw new Error(`Failed to prepare the fuzz fixtures: fal PUT answered ${put.status}.`);
  values.set(ref.falFileUrl, String(initiated.file_url));
  for (let i = 0; i < poolSizes.fal!; i++) {
    const submitted = await ok(
      "fal submit",
      t.send(
        "fal",
        "queue",
        post("/fal-ai/ideogram/upscale", falKey, json({ image_url: initiated.file_url })),
      ),
    );
    values.set(ref.id("fal", i), String(submitted.request_id));
    if (i === 0)
      for (let poll = 0; poll < 4; poll++)
        await t.sendUrl("GET", String(submitted.status_url), { authorization: `Key ${fuzzKey}` });
  }
}

/** chainhub: a finished task. */
async function chainhubFixtures(t: FuzzTransport, png: Image, values: Values): Promise<void> {
  const boundary = "fixture-boundary-4567";
  const form = encodeMultipart(
    [
      { name: "image_request", value: "{}" },
      { name: "image_file", value: png.data, filename: "in.png", type: "image/png" },
    ],
    boundary,
  );
  const chainhubHeaders = { authorization: `Bearer ${fuzzKey}`, accept: "application/json" };
  const task = await ok(
    "chainhub submit",
    t.send(
      "chainhub",
      "api",
      post(
        "/ideogram/upscale",
        { ...chainhubHeaders, "content-type": `multipart/form-data; boundary=${boundary}` },
        form,
      ),
    ),
  );
  const taskId = String((task.data as { task_id: string }).task_id);
  values.set(ref.id("chainhub", 0), taskId);
  for (let poll = 0; poll < 3; poll++)
    await t.send("chainhub", "api", get(`/ideogram/upscale/${taskId}`, chainhubHeaders));
}

/** Freepik: tasks of each kind; the first creative one polled to COMPLETED for its result URL. */
async function freepikFixtures(t: FuzzTransport, png: Image, values: Values): Promise<void> {
  const image = Buffer.from(png.data).toString("base64");
  for (const [pool, path] of [
    ["freepik-creative", "/v1/ai/image-upscaler"],
    ["freepik-precision", "/v1/ai/image-upscaler-precision"],
    ["freepik-precision-v2", "/v1/ai/image-upscaler-precision-v2"],
  ] as const) {
    for (let i = 0; i < poolSizes[pool]!; i++) {
      const created = await ok(
        `freepik ${pool}`,
        t.send("freepik", "api", post(path, freepikKey, json({ image }))),
      );
      const id = String((created.data as { task_id: string }).task_id);
      values.set(ref.id(pool, i), id);
      if (pool === "freepik-creative" && i === 0) {
        let generated: string[] = [];
        for (let poll = 0; poll < 4 && generated.length === 0; poll++) {
          const status = jsonOf(await t.send("freepik", "api", get(`${path}/${id}`, freepikKey)));
          generated = (status.data as { generated: string[] }).generated;
        }
        if (!generated[0])
          throw new Error("Failed to prepare the fuzz fixtures: the Freepik task did not complete.");
        values.set(ref.freepikResultUrl, generated[0]);
      }
    }
  }
}

/** Creates the ids, uploads and results valid requests refer to; returns the placeholder values. */
export async function prepareFixtures(t: FuzzTransport): Promise<LiveFixtures> {
  const png = t.inputs.images[0]!;
  const values: Values = new Map();
  await oneminFixtures(t, png, values);
  await falFixtures(t, png, values);
  await chainhubFixtures(t, png, values);
  await freepikFixtures(t, png, values);
  return { values };
}

const token = /__[A-Z]+(?:_[A-Za-z0-9-]+)*__/g;

/** The wire request with every placeholder replaced by what exists on the simulator now. */
export function substitute(wire: WireRequest, live: LiveFixtures): WireRequest {
  const replace = (text: string) => text.replace(token, (found) => live.values.get(found) ?? found);
  // latin1 maps bytes one to one, so binary bodies survive; tokens and their values are ASCII.
  const body = Buffer.from(wire.body.buffer, wire.body.byteOffset, wire.body.byteLength).toString("latin1");
  const replaced = replace(body);
  return {
    ...wire,
    path: replace(wire.path),
    body: replaced === body ? wire.body : new Uint8Array(Buffer.from(replaced, "latin1")),
  };
}
