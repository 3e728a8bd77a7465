/**
 * Prism can serve every spec: a valid request gets the documented example, a request missing a
 * required field gets Prism's 4xx, and a request without the provider's auth header gets 401.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeImage } from "../../scripts/lib/images.ts";
import { specPath } from "../../scripts/spec-files.ts";
import { type PrismProcess, startPrism } from "../helpers/prism.ts";

interface Case {
  spec: string;
  method: string;
  path: string;
  auth: Record<string, string>;
  extraHeaders?: Record<string, string>;
  valid: () => Promise<BodyInit>;
  invalid: () => Promise<BodyInit>;
  json: boolean;
}

const png = () => makeImage(8, 8);

async function multipart(withFile: boolean): Promise<FormData> {
  const form = new FormData();
  form.append(
    "image_request",
    new Blob([JSON.stringify({ resemblance: 50, detail: 50 })], { type: "application/json" }),
  );
  if (withFile) form.append("image_file", new Blob([await png()], { type: "image/png" }), "in.png");
  return form;
}

const cases: Case[] = [
  {
    spec: "ideogram",
    method: "POST",
    path: "/upscale",
    auth: { "api-key": "k" },
    valid: () => multipart(true),
    invalid: () => multipart(false),
    json: false,
  },
  {
    spec: "chainhub",
    method: "POST",
    path: "/ideogram/upscale",
    auth: { authorization: "Bearer k" },
    extraHeaders: { accept: "application/json" },
    valid: () => multipart(true),
    invalid: () => multipart(false),
    json: false,
  },
  {
    spec: "fal",
    method: "POST",
    path: "/fal-ai/ideogram/upscale",
    auth: { authorization: "Key k" },
    valid: async () => JSON.stringify({ image_url: "https://v3.fal.media/files/monkey/in.png" }),
    invalid: async () => JSON.stringify({ prompt: "no image" }),
    json: true,
  },
  {
    spec: "fal-sync",
    method: "POST",
    path: "/fal-ai/ideogram/upscale",
    auth: { authorization: "Key k" },
    valid: async () => JSON.stringify({ image_url: "https://v3.fal.media/files/monkey/in.png" }),
    invalid: async () => JSON.stringify({ prompt: "no image" }),
    json: true,
  },
  {
    spec: "onemin",
    method: "POST",
    path: "/api/features",
    auth: { "api-key": "k" },
    valid: async () =>
      JSON.stringify({
        type: "IMAGE_UPSCALER",
        model: "ideogram-3",
        promptObject: { imageUrl: "images/in.png", num_images: 1 },
      }),
    invalid: async () =>
      JSON.stringify({
        type: "IMAGE_UPSCALER",
        model: "ideogram-3",
        promptObject: { imageUrl: "images/in.png" },
      }),
    json: true,
  },
  {
    spec: "freepik",
    method: "POST",
    path: "/v1/ai/image-upscaler",
    auth: { "x-freepik-api-key": "k" },
    valid: async () => JSON.stringify({ image: Buffer.from(await png()).toString("base64") }),
    invalid: async () => JSON.stringify({ scale_factor: "2x" }),
    json: true,
  },
];

type Json = Record<string, unknown>;

/** The first example of the operation's 200 response, as Prism picks it. */
function documentedExample(spec: string, path: string, method: string): unknown {
  const doc = parse(readFileSync(specPath(spec), "utf8")) as Json;
  const resolve = (node: Json): Json => {
    if (typeof node.$ref !== "string") return node;
    let value: unknown = doc;
    for (const part of node.$ref.replace(/^#\//, "").split("/"))
      value = (value as Json)[part.replace(/~1/g, "/")];
    return resolve(value as Json);
  };
  const operation = ((doc.paths as Json)[path] as Json)[method.toLowerCase()] as Json;
  const ok = resolve((operation.responses as Json)["200"] as Json);
  const media = (ok.content as Json)["application/json"] as Json;
  if ("example" in media) return media.example;
  const first = Object.values(media.examples as Json)[0] as Json;
  return resolve(first).value;
}

const prisms = new Map<string, PrismProcess>();

beforeAll(async () => {
  await Promise.all(cases.map(async (c) => prisms.set(c.spec, await startPrism(["mock", specPath(c.spec)]))));
}, 120_000);

afterAll(async () => {
  await Promise.all([...prisms.values()].map((p) => p.stop()));
});

describe.each(cases)("prism mock specs/$spec.yaml", (c) => {
  const call = async (body: BodyInit, headers: Record<string, string>) => {
    const response = await fetch(`${prisms.get(c.spec)!.url}${c.path}`, {
      method: c.method,
      headers: { ...(c.json ? { "content-type": "application/json" } : {}), ...c.extraHeaders, ...headers },
      body,
    });
    return { status: response.status, body: await response.text() };
  };

  it("answers a valid request with the documented example", async () => {
    const { status, body } = await call(await c.valid(), c.auth);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual(documentedExample(c.spec, c.path, c.method));
  });

  it("refuses a request missing a required field with a 4xx", async () => {
    const { status } = await call(await c.invalid(), c.auth);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  });

  it("refuses a request without the provider's auth header with 401", async () => {
    const { status } = await call(await c.valid(), {});
    expect(status).toBe(401);
  });
});
