/**
 * Prism's validation proxy in front of the standalone server: a whole flow per provider goes
 * through `prism proxy --errors`, and Prism must find zero violations (no `sl-violations`
 * header) in any request or answer. The specs are the independent witness here.
 *
 * One limit: Prism's proxy re-encodes multipart bodies and corrupts binary parts
 * (stoplightio/prism#2349, open), so an image uploaded through it arrives broken. Multipart
 * uploads therefore go straight to the server (their answers are checked against the specs by
 * the simulator tests' conformance harness), and everything after them goes through Prism; the
 * simulator's answer to the corrupted upload still has to conform, and is checked here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { specPath } from "../../scripts/spec-files.ts";
import { type PrismProcess, startPrism } from "../helpers/prism.ts";

let server: MockServer;
const proxies = new Map<string, PrismProcess>();
const violations: string[] = [];

/** Which server prefix each proxied spec forwards to. */
const upstreams: Record<string, string> = {
  ideogram: "/ideogram",
  chainhub: "/chainhub",
  onemin: "/onemin",
  freepik: "/freepik",
  fal: "/fal/queue",
  "fal-storage": "/fal/rest",
  "fal-sync": "/fal/run",
};

beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none" });
  const wanted = Object.keys(upstreams).filter((name) =>
    server.simulator.providers.has(name.split("-")[0] as never),
  );
  await Promise.all(
    wanted.map(async (name) => {
      const spec = name === "fal-storage" ? "fal" : name;
      proxies.set(name, await startPrism(["proxy", specPath(spec), `${server.url}${upstreams[name]}`]));
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([...proxies.values()].map((p) => p.stop()));
  await server.close();
});

/** Calls through a proxy, recording any violation Prism reports. */
async function via(name: string, path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(`${proxies.get(name)!.url}${path}`, init);
  const header = response.headers.get("sl-violations");
  if (header) violations.push(`${name} ${init.method ?? "GET"} ${path} → ${response.status}: ${header}`);
  return response;
}

function multipart(image: Uint8Array<ArrayBuffer>, request: object = { resemblance: 60 }): FormData {
  const form = new FormData();
  form.append("image_request", new Blob([JSON.stringify(request)], { type: "application/json" }));
  form.append("image_file", new Blob([image], { type: "image/png" }), "in.png");
  return form;
}

describe("prism proxy --errors in front of the simulators", () => {
  it("ideogram: upscale (an image mangled by Prism's proxy gets Ideogram's 400, which conforms)", async () => {
    const direct = await fetch(`${server.url}/ideogram/upscale`, {
      method: "POST",
      headers: { "api-key": "k" },
      body: multipart(await makeImage(16, 16), { num_images: 2 }),
    });
    expect(direct.status).toBe(200);
    expect(((await direct.json()) as { data: unknown[] }).data).toHaveLength(2);
    const mangled = await via("ideogram", "/upscale", {
      method: "POST",
      headers: { "api-key": "k" },
      body: multipart(await makeImage(16, 16)),
    });
    expect(mangled.status).toBe(400);
    const unauthorised = await via("ideogram", "/upscale", {
      method: "POST",
      body: multipart(await makeImage(8, 8)),
    });
    expect(unauthorised.status).toBe(401);
  });

  it("chainhub: submit and query to succeed", async () => {
    const headers = { authorization: "Bearer k", accept: "application/json" };
    const submitted = await fetch(`${server.url}/chainhub/ideogram/upscale`, {
      method: "POST",
      headers,
      body: multipart(await makeImage(16, 16)),
    });
    expect(submitted.status).toBe(200);
    const { data } = (await submitted.json()) as { data: { task_id: string } };
    let status = "";
    for (let i = 0; i < 5 && status !== "succeed"; i++) {
      const polled = await via("chainhub", `/ideogram/upscale/${data.task_id}`, { headers });
      status = ((await polled.json()) as { data: { task_status: string } }).data.task_status;
    }
    expect(status).toBe("succeed");
  });

  it("onemin: upload an asset, then upscale it", async () => {
    const form = new FormData();
    form.append("asset", new Blob([await makeImage(16, 16)], { type: "image/png" }), "photo.png");
    const uploaded = await fetch(`${server.url}/onemin/api/assets`, {
      method: "POST",
      headers: { "api-key": "k" },
      body: form,
    });
    expect(uploaded.status).toBe(200);
    const { fileContent } = (await uploaded.json()) as { fileContent: { path: string } };
    const feature = await via("onemin", "/api/features", {
      method: "POST",
      headers: { "api-key": "k", "content-type": "application/json" },
      body: JSON.stringify({
        type: "IMAGE_UPSCALER",
        model: "ideogram-3",
        promptObject: { imageUrl: fileContent.path, num_images: 1 },
      }),
    });
    expect(feature.status).toBe(200);
    expect(((await feature.json()) as { aiRecord: { status: string } }).aiRecord.status).toBe("SUCCESS");
  });

  it("freepik: submit, poll to COMPLETED, list; a bad request gets Freepik's 400", async () => {
    const headers = { "x-freepik-api-key": "k", "content-type": "application/json" };
    const submitted = await via("freepik", "/v1/ai/image-upscaler", {
      method: "POST",
      headers,
      body: JSON.stringify({ image: toBase64(await makeImage(16, 16)), scale_factor: "4x" }),
    });
    expect(submitted.status).toBe(200);
    const { data } = (await submitted.json()) as { data: { task_id: string } };
    let status = "";
    for (let i = 0; i < 5 && status !== "COMPLETED"; i++) {
      const polled = await via("freepik", `/v1/ai/image-upscaler/${data.task_id}`, { headers });
      status = ((await polled.json()) as { data: { status: string } }).data.status;
    }
    expect(status).toBe("COMPLETED");
    expect((await via("freepik", "/v1/ai/image-upscaler", { headers })).status).toBe(200);
    const v2 = await via("freepik", "/v1/ai/image-upscaler-precision-v2", {
      method: "POST",
      headers,
      body: JSON.stringify({ image: toBase64(await makeImage(16, 16)), scale_factor: 2, flavor: "photo" }),
    });
    expect(v2.status).toBe(200);
  });

  it("fal: sync run, queue submit → status → result, cancel, storage initiate", async () => {
    const headers = { authorization: "Key k", "content-type": "application/json" };
    const image_url = `data:image/png;base64,${toBase64(await makeImage(16, 16))}`;
    const run = await via("fal-sync", "/fal-ai/ideogram/upscale", {
      method: "POST",
      headers,
      body: JSON.stringify({ image_url }),
    });
    expect(run.status).toBe(200);
    const submitted = await via("fal", "/fal-ai/ideogram/upscale", {
      method: "POST",
      headers,
      body: JSON.stringify({ image_url }),
    });
    expect(submitted.status).toBe(200);
    const { request_id } = (await submitted.json()) as { request_id: string };
    let status = "";
    for (let i = 0; i < 6 && status !== "COMPLETED"; i++) {
      const polled = await via("fal", `/fal-ai/ideogram/requests/${request_id}/status?logs=1`, { headers });
      status = ((await polled.json()) as { status: string }).status;
    }
    expect(status).toBe("COMPLETED");
    expect((await via("fal", `/fal-ai/ideogram/requests/${request_id}`, { headers })).status).toBe(200);
    const second = (await (
      await via("fal", "/fal-ai/ideogram/upscale", {
        method: "POST",
        headers,
        body: JSON.stringify({ image_url }),
      })
    ).json()) as {
      request_id: string;
    };
    expect(
      (await via("fal", `/fal-ai/ideogram/requests/${second.request_id}/cancel`, { method: "PUT", headers }))
        .status,
    ).toBe(202);
    const storage = await via("fal-storage", "/storage/upload/initiate?storage_type=fal-cdn-v3", {
      method: "POST",
      headers,
      body: JSON.stringify({ content_type: "image/png", file_name: "in.png" }),
    });
    expect(storage.status).toBe(200);
  });

  it("a deliberately broken answer is caught (the check can fail)", async () => {
    const response = await fetch(`${proxies.get("freepik")!.url}/v1/ai/image-upscaler`, {
      headers: { "x-freepik-api-key": "k", "x-mock-scenario": "malformed" },
    });
    expect(response.headers.get("sl-violations")).toMatch(/data/);
  });

  it("Prism reported no violations", () => {
    expect(violations).toEqual([]);
  });
});
