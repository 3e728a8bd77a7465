/**
 * Remote inputs over MSW, in the default mode: an input URL (or 1min.ai asset path) the
 * simulators do not serve gets a deterministic stand-in image, said in `x-mock-input` and the
 * journal, and the upscale goes on; nothing is downloaded. The refusals are in the providers'
 * own test files (which run with `remoteImages: "refuse"`).
 */
import { describe, expect, it } from "vitest";
import { drawStandIn, standInImage } from "../../mocks/engine/stand-in-image.ts";
import { fal } from "../../mocks/providers/fal/definition.ts";
import { freepik } from "../../mocks/providers/freepik/definition.ts";
import { onemin } from "../../mocks/providers/onemin/definition.ts";
import { dimensionsOf, makeImage } from "../../scripts/lib/images.ts";
import { useSimulators } from "../helpers/harness.ts";

const h = useSimulators({ definitions: [fal, freepik, onemin], latency: "none" });

/** fal's own example input (https://fal.ai/models/fal-ai/ideogram/upscale/api). */
const falExample = "https://fal.media/files/monkey/e6RtJf_ue0vyWzeiEmTby.png";
/** 1min.ai's own example body (https://docs.1min.ai/docs/api/ai-for-image/image-upscaler/ideogram-image-upscaler). */
const oneminExample = {
  type: "IMAGE_UPSCALER",
  model: "ideogram-3",
  promptObject: {
    imageUrl: "development/images/low_res_photo.png",
    num_images: 1,
    magic_prompt_option: "AUTO",
    resemblance: 50,
    detail: 50,
  },
};

function post(url: string, body: unknown, headers: Record<string, string>) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}
const falRun = (imageUrl: string) =>
  post("https://fal.run/fal-ai/ideogram/upscale", { image_url: imageUrl }, { authorization: "Key k:s" });
const oneminRun = (body: unknown) => post("https://api.1min.ai/api/features", body, { "API-KEY": "k" });

async function downloaded(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return dimensionsOf(new Uint8Array(await response.arrayBuffer()));
}

describe("stand-in images", () => {
  it("are real PNGs of a plausible size, the same bytes for the same name and not for another", async () => {
    const first = await drawStandIn(falExample);
    const again = await drawStandIn(falExample);
    const other = await drawStandIn("https://fal.media/files/monkey/another.png");
    expect(Buffer.from(again.data).equals(Buffer.from(first.data))).toBe(true);
    expect(Buffer.from(other.data).equals(Buffer.from(first.data))).toBe(false);
    const meta = await dimensionsOf(first.data);
    expect(meta).toEqual({ width: first.width, height: first.height, format: "png" });
    expect(first.width).toBeGreaterThanOrEqual(256);
    expect(first.width).toBeLessThanOrEqual(512);
    expect(first.height).toBeGreaterThanOrEqual(192);
    expect(first.height).toBeLessThanOrEqual(384);
  });
});

describe("remote inputs by default", () => {
  it("fal's documented image_url: 200, the stand-in upscaled 2x, the header and the journal say so", async () => {
    const response = await falRun(falExample);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-mock-input")).toBe(`stand-in; url=${falExample}`);
    const body = (await response.json()) as { images: Array<{ url: string; width: number; height: number }> };
    const standIn = await standInImage(falExample);
    expect(await downloaded(body.images[0]!.url)).toEqual({
      width: standIn.width * 2,
      height: standIn.height * 2,
      format: "png",
    });
    const entry = h.simulator
      .namespace()
      .journal.list({ provider: "fal" })
      .find((e) => e.method === "POST");
    expect(entry?.status).toBe(200);
    expect(entry?.notes).toEqual([
      `Input ${falExample} is not served here: a stand-in image (${standIn.width}x${standIn.height} PNG, the same for the same name) took its place; nothing was downloaded.`,
    ]);
  });

  it("the same URL twice gives the same result image; another URL a different one", async () => {
    const resultOf = async (url: string) => {
      const body = (await (await falRun(url)).json()) as { images: Array<{ url: string }> };
      return Buffer.from(await (await fetch(body.images[0]!.url)).arrayBuffer());
    };
    const first = await resultOf(falExample);
    expect((await resultOf(falExample)).equals(first)).toBe(true);
    expect((await resultOf("https://cdn.example.com/other.png")).equals(first)).toBe(false);
  });

  it("a fal queue run of the documented URL completes with the stand-in's upscale", async () => {
    const submitted = await post(
      "https://queue.fal.run/fal-ai/ideogram/upscale",
      { image_url: falExample },
      { authorization: "Key k:s" },
    );
    expect(submitted.status).toBe(200);
    expect(submitted.headers.get("x-mock-input")).toBe(`stand-in; url=${falExample}`);
    const { status_url, response_url } = (await submitted.json()) as {
      status_url: string;
      response_url: string;
    };
    let state = "";
    for (let i = 0; i < 50 && state !== "COMPLETED"; i++)
      state = (
        (await (await fetch(status_url, { headers: { authorization: "Key k:s" } })).json()) as {
          status: string;
        }
      ).status;
    expect(state).toBe("COMPLETED");
    const result = await fetch(response_url, { headers: { authorization: "Key k:s" } });
    expect(result.status).toBe(200);
    const standIn = await standInImage(falExample);
    const { images } = (await result.json()) as { images: Array<{ width: number }> };
    expect(images[0]!.width).toBe(standIn.width * 2);
  });

  it("Freepik precision-v2 with an https image URL: a task on the stand-in", async () => {
    const url = "https://images.example.com/photo.jpg";
    const response = await post(
      "https://api.freepik.com/v1/ai/image-upscaler-precision-v2",
      { image: url, scale_factor: 2 },
      { "x-freepik-api-key": "k" },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-mock-input")).toBe(`stand-in; url=${url}`);
    expect(((await response.json()) as { data: { status: string } }).data.status).toBe("IN_PROGRESS");
  });

  it("1min.ai's documented body succeeds; the result is the stand-in upscaled 2x", async () => {
    const response = await oneminRun(oneminExample);
    expect(response.status).toBe(200);
    const name = oneminExample.promptObject.imageUrl;
    expect(response.headers.get("x-mock-input")).toBe(`stand-in; url=${name}`);
    const body = (await response.json()) as {
      aiRecord: { status: string; aiRecordDetail: { resultObject: string[] } };
    };
    expect(body.aiRecord.status).toBe("SUCCESS");
    const standIn = await standInImage(name);
    const key = body.aiRecord.aiRecordDetail.resultObject[0]!;
    expect(await downloaded(`https://asset.1min.ai/${key}`)).toEqual({
      width: standIn.width * 2,
      height: standIn.height * 2,
      format: "png",
    });
  });

  it("1min.ai: a path that was uploaded still uses the uploaded bytes, no stand-in", async () => {
    const form = new FormData();
    const png = await makeImage(40, 30);
    form.append("asset", new Blob([png], { type: "image/png" }), "low_res_photo.png");
    const uploaded = await fetch("https://api.1min.ai/api/assets", {
      method: "POST",
      headers: { "API-KEY": "k" },
      body: form,
    });
    const path = ((await uploaded.json()) as { fileContent: { path: string } }).fileContent.path;
    const response = await oneminRun({
      ...oneminExample,
      promptObject: { ...oneminExample.promptObject, imageUrl: path },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-mock-input")).toBeNull();
    const body = (await response.json()) as { aiRecord: { aiRecordDetail: { resultObject: string[] } } };
    const key = body.aiRecord.aiRecordDetail.resultObject[0]!;
    expect(await downloaded(`https://asset.1min.ai/${key}`)).toEqual({
      width: 80,
      height: 60,
      format: "png",
    });
  });

  it("1min.ai: a missing key shaped like the ones it issues stays 'Asset not found'", async () => {
    const imageUrl = "images/2026_04_15_10_30_00_999_missing.png";
    const response = await oneminRun({
      ...oneminExample,
      promptObject: { ...oneminExample.promptObject, imageUrl },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: `Asset not found: ${imageUrl}` });
    expect(response.headers.get("x-mock-input")).toBeNull();
  });

  it("a host under .invalid, which never resolves, gets the provider's own error in every mode", async () => {
    const url = "https://images.example.invalid/missing.png";
    const response = await falRun(url);
    expect(response.status).toBe(422);
    expect(response.headers.get("x-mock-input")).toBe(`refused; url=${url}`);
    const body = (await response.json()) as { detail: Array<{ type: string }> };
    expect(body.detail[0]!.type).toBe("file_download_error");
  });

  it("a URL the simulator serves is never stood in for: a missing fal file is fal's own 422", async () => {
    const response = await falRun("https://v3.fal.media/files/nobody/missing.png");
    expect(response.status).toBe(422);
    expect(response.headers.get("x-mock-input")).toBeNull();
    const body = (await response.json()) as { detail: Array<{ type: string }> };
    expect(body.detail[0]!.type).toBe("file_download_error");
  });
});
