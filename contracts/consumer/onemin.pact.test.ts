/** 1min.ai: an asset upload (multipart `asset`), then the IMAGE_UPSCALER feature on its path. */
import { MatchersV3, type V3MockServer } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthError,
  InsufficientCreditError,
  RateLimitError,
  ValidationError,
} from "../../src/index.ts";
import {
  authHeaders,
  boundary,
  exampleIds,
  failureOf,
  injected,
  inputPng,
  multipartBody,
  multipartContentType,
  multipartRules,
  oversizedPng,
  pactFor,
  states,
  upscaleOptions,
  upscalerFor,
} from "./support.ts";

const { like, eachLike, regex, integer, boolean, uuid, fromProviderState } = MatchersV3;
const pact = pactFor("onemin");
const assetPath = "images/2026_01_01_00_00_09_410_image.png";
const assetUrl = `https://asset.1min.ai/${assetPath}`;

function upload(description: string, state: string, image: Uint8Array = inputPng) {
  return pact
    .addInteraction()
    .given(state)
    .uponReceiving(description)
    .withRequest("POST", "/api/assets", (b) => {
      b.headers({ ...authHeaders.onemin, "Content-Type": multipartContentType })
        .body(
          `multipart/form-data; boundary=${boundary}`,
          multipartBody([{ name: "asset", fileName: "image.png", contentType: "image/png", data: image }]),
        )
        .matchingRules(multipartRules({ asset: "image/png" }));
    });
}

const uploaded = {
  asset: {
    key: regex("^images/\\S+$", assetPath),
    location: regex("^https?://\\S+$", assetUrl),
    mimetype: like("image/png"),
    size: integer(207),
  },
  fileContent: {
    uuid: uuid(exampleIds.oneminAsset),
    path: regex("^images/\\S+$", assetPath),
    type: like("image/png"),
    name: like("image.png"),
    status: "ACTIVE",
    createdAt: like("2026-01-01T00:00:09.410Z"),
  },
};

function feature(description: string, extraState?: string) {
  let interaction = pact.addInteraction().given(states.assetUploaded);
  if (extraState) interaction = interaction.given(extraState);
  return interaction.uponReceiving(description).withRequest("POST", "/api/features", (b) => {
    b.headers({ ...authHeaders.onemin, "Content-Type": "application/json" }).jsonBody({
      type: "IMAGE_UPSCALER",
      model: "ideogram-3",
      promptObject: {
        imageUrl: fromProviderState(injected("assetPath"), assetPath),
        num_images: integer(1),
        prompt: like(upscaleOptions.prompt),
        resemblance: integer(upscaleOptions.resemblance),
        detail: integer(upscaleOptions.detail),
      },
    });
  });
}

const record = (status: string, detail: { resultObject: unknown; data: unknown }) => ({
  aiRecord: {
    uuid: uuid(exampleIds.oneminRecord),
    model: like("ideogram-3"),
    type: "IMAGE_UPSCALER",
    status,
    aiRecordDetail: {
      promptObject: { imageUrl: like(assetPath), num_images: integer(1) },
      resultObject: detail.resultObject,
      responseObject: { created: like("2026-01-01T00:00:09.410Z"), data: detail.data },
    },
  },
});
const fromUrl = (mock: V3MockServer) => upscalerFor("onemin", mock).start(assetUrl, upscaleOptions);
const fromBytes = (mock: V3MockServer, image: Uint8Array = inputPng) =>
  upscalerFor("onemin", mock).start(image, upscaleOptions);

describe("onemin pact", () => {
  it("uploads the image, then upscales it (sync)", async () => {
    upload("an asset upload of a PNG", states.ready).willRespondWith(200, (b) => b.jsonBody(uploaded));
    await feature("an upscale of an uploaded asset")
      .willRespondWith(200, (b) =>
        b.jsonBody(
          record("SUCCESS", {
            resultObject: eachLike(regex("^\\S+$", "images/2026_01_01_00_00_09_410_upscale_x1.png")),
            data: eachLike({
              url: regex("^\\S+$", "https://asset.1min.ai/images/2026_01_01_00_00_09_410_upscale_x1.png"),
              prompt: like(""),
              resolution: regex("^\\d+x\\d+$", "8x6"),
              upscaled_resolution: regex("^\\d+x\\d+$", "16x12"),
              is_image_safe: boolean(true),
              seed: integer(687682390),
            }),
          }),
        ),
      )
      .executeTest(async (mock) => {
        const upscaler = upscalerFor("onemin", mock);
        const handle = await upscaler.start(inputPng, upscaleOptions);
        expect(handle).toMatchObject({ state: "done", id: exampleIds.oneminRecord });
        const result = await upscaler.result(handle);
        expect(result.images[0]).toMatchObject({ width: 16, height: 12 });
      });
  });

  it("reads a run that failed", async () => {
    await feature("an upscale of an uploaded asset that fails", states.unsafe)
      .willRespondWith(200, (b) => b.jsonBody(record("FAILED", { resultObject: [], data: [] })))
      .executeTest(async (mock) => {
        const upscaler = upscalerFor("onemin", mock);
        const status = await upscaler.status(await fromUrl(mock));
        expect(status).toMatchObject({ state: "failed", providerState: "FAILED" });
      });
  });

  it("reports invalid input as ValidationError (400)", async () => {
    await upload("an asset upload of an image over the pixel limit", states.ready, oversizedPng())
      .willRespondWith(400, (b) => b.jsonBody({ message: like("Invalid image: the image is too large.") }))
      .executeTest(async (mock) => {
        expect(await failureOf(fromBytes(mock, oversizedPng()))).toBeInstanceOf(ValidationError);
      });
  });

  it("reports a refused key as AuthError (401)", async () => {
    await upload("an asset upload with a key 1min.ai refuses", states.badKey)
      .willRespondWith(401, (b) => b.jsonBody({ message: like("Unauthorized") }))
      .executeTest(async (mock) => {
        expect(await failureOf(fromBytes(mock))).toBeInstanceOf(AuthError);
      });
  });

  it("reports an empty balance as InsufficientCreditError (402)", async () => {
    await feature("an upscale on an account out of credit", states.noCredit)
      .willRespondWith(402, (b) => b.jsonBody({ message: like("Insufficient credits.") }))
      .executeTest(async (mock) => {
        expect(await failureOf(fromUrl(mock))).toBeInstanceOf(InsufficientCreditError);
      });
  });

  it("reports the rate limit as RateLimitError with Retry-After (429)", async () => {
    await feature("an upscale over the rate limit", states.rateLimited)
      .willRespondWith(429, (b) =>
        b.headers({ "Retry-After": regex("^\\d+$", "2") }).jsonBody({ message: like("Too many requests.") }),
      )
      .executeTest(async (mock) => {
        const error = await failureOf(fromUrl(mock));
        expect(error).toBeInstanceOf(RateLimitError);
        expect((error as RateLimitError).retryAfterMs).toBe(2000);
      });
  });

  it("reports an outage as a retryable ApiError (503)", async () => {
    await upload("an asset upload while 1min.ai is down", states.outage)
      .willRespondWith(503, (b) => b.jsonBody({ message: like("Service temporarily unavailable.") }))
      .executeTest(async (mock) => {
        const error = await failureOf(fromBytes(mock));
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status: 503, retryable: true });
      });
  });
});
