/**
 * Every response example in the providers' documents, served verbatim by a stand-in on loopback,
 * gives the unified client a result (or, for a documented error, the matching typed error). What
 * a document does not show (1min.ai's upload answer, Freepik's finished task) is the least the
 * client reads, and says so. The client's fetch refuses anything but loopback.
 */
import { afterEach, describe, expect, it } from "vitest";
import { makeImage } from "../../scripts/lib/images.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import {
  ApiError,
  AuthError,
  createUpscaler,
  type ProviderId,
  type UpscalerConfig,
  ValidationError,
} from "../../src/index.ts";
import { type DocumentExamples, loadDocuments } from "../helpers/documented-examples.ts";
import { type StandIn, type StandInAnswer, startStandIn } from "../helpers/stand-in.ts";

const documents = new Map(loadDocuments().map((doc) => [doc.id, doc]));

function responseOf(id: string, name: string) {
  const response = documents.get(id)!.responses.find((r) => r.name === name);
  if (!response) throw new Error(`${id} documents no response "${name}"`);
  return response;
}

const documented = (id: string, name: string): StandInAnswer => {
  const { status, body } = responseOf(id, name);
  return { status, json: body };
};

/** fetch for loopback only: a documented URL on a real host must never be contacted. */
const loopbackOnly: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== "127.0.0.1") throw new Error(`The test reached for ${url.origin}`);
  return fetch(input, init);
};

let standIn: StandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

function upscalerFor(provider: ProviderId, baseUrls: UpscalerConfig["baseUrls"]) {
  return createUpscaler({
    provider,
    apiKeys: { [provider]: "documented-example-key" },
    baseUrls,
    clock: new VirtualClock({ autoAdvance: true }),
    retry: { maxAttempts: 1 },
    circuitBreaker: false,
    fetch: loopbackOnly,
  });
}

describe("documented responses read by the client", () => {
  it("every document's response examples are used below", () => {
    const used = new Set([
      "chainhub-sync/200 Success",
      "fal/Example Response",
      "onemin/Response Format",
      ...documents.get("freepik")!.responses.map((r) => `freepik/${r.name}`),
    ]);
    const all = [...documents.values()].flatMap((doc: DocumentExamples) =>
      doc.responses.map((r) => `${doc.id}/${r.name}`),
    );
    expect(all.sort()).toEqual([...used].sort());
  });

  it("chainhub (Ideogram's body, pass-through): both images and the seed", async () => {
    standIn = await startStandIn(() => documented("chainhub-sync", "200 Success"));
    const result = await upscalerFor("chainhub", { chainhub: standIn.url }).upscale(await makeImage(8, 8));
    expect(result.images.map((i) => i.url)).toEqual([
      "https://ideogram.ai/api/images/direct/8YEpFzHuS-S6xXEGmCsf7g",
      "https://ideogram.ai/api/images/direct/8YEpFzHuS-S6xXEGmCsf7g",
    ]);
    expect(result.seed).toBe(12345);
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /ideogram/upscale"]);
  });

  it("fal (sync run): the image and the seed", async () => {
    standIn = await startStandIn(() => documented("fal", "Example Response"));
    const upscaler = upscalerFor("fal", { fal: standIn.url });
    const result = await upscaler.upscale(await makeImage(8, 8), {
      providerOptions: { fal: { mode: "sync" } },
    });
    expect(result.images[0]).toMatchObject({
      url: "https://fal.media/files/lion/DxTSV6683MLl4VPAVUHR3_image.png",
      contentType: "image/png",
    });
    expect(result.seed).toBe(123456);
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /run/fal-ai/ideogram/upscale",
    ]);
  });

  it("1min.ai: the feature call's record gives its result key on the asset host", async () => {
    standIn = await startStandIn((request) =>
      request.path === "/api/assets"
        ? // The upscaler's page documents the feature call only: the upload answer is the one
          // field the client reads from it.
          { json: { fileContent: { path: "images/2026_04_15_photo.png" } } }
        : documented("onemin", "Response Format"),
    );
    const upscaler = upscalerFor("onemin", { onemin: { api: standIn.url, asset: standIn.url } });
    const result = await upscaler.upscale(await makeImage(8, 8));
    expect(result.images.map((i) => i.url)).toEqual([
      `${standIn.url}/development/images/2026_04_15_upscale_result.png`,
    ]);
    const feature = JSON.parse(standIn.requests[1]!.body.toString()) as {
      promptObject: { imageUrl: string };
    };
    expect(feature.promptObject.imageUrl).toBe("images/2026_04_15_photo.png");
  });

  it("freepik: the submit answer and the task example poll as running, then the task completes", async () => {
    const submitted = responseOf("freepik", "success - in progress task").body as {
      data: { task_id: string };
    };
    const running = responseOf("freepik", "task-detail example").body as {
      data: { generated: string[]; task_id: string };
    };
    let polls = 0;
    standIn = await startStandIn((request) => {
      if (request.method === "POST") return documented("freepik", "success - in progress task");
      polls++;
      // The document shows no finished task: the same example with the enum's COMPLETED.
      return polls === 1
        ? documented("freepik", "task-detail example")
        : { json: { data: { ...running.data, status: "COMPLETED" } } };
    });
    const upscaler = upscalerFor("freepik", { freepik: standIn.url });
    const handle = await upscaler.start(await makeImage(8, 8));
    expect(handle.id).toBe(submitted.data.task_id);
    expect(await upscaler.status(handle)).toMatchObject({ state: "running", providerState: "IN_PROGRESS" });
    const result = await upscaler.wait(handle);
    expect(result.images.map((i) => i.url)).toEqual(running.data.generated);
    expect(standIn.requests.at(-1)!.path).toBe(`/v1/ai/image-upscaler/${submitted.data.task_id}`);
  });

  const freepikErrors = documents.get("freepik")!.responses.filter((r) => r.status >= 400);
  it.each(freepikErrors)("freepik $name → a typed error carrying the message", async (response) => {
    standIn = await startStandIn(() => ({
      status: response.status,
      json: response.body,
      ...(response.contentType ? { headers: { "content-type": response.contentType } } : {}),
    }));
    const error = await upscalerFor("freepik", { freepik: standIn.url })
      .start(await makeImage(8, 8))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const kind = { 400: ValidationError, 401: AuthError }[response.status as 400 | 401] ?? ApiError;
    expect(error).toBeInstanceOf(kind);
    expect((error as ApiError).status).toBe(response.status);
    expect((error as Error).message).toContain((response.body as { message: string }).message);
  });
});
