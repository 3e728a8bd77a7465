/** Ideogram: one synchronous multipart upscale, and the errors the client turns into typed errors. */
import { MatchersV3, type V3MockServer } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthError,
  ContentPolicyError,
  InsufficientCreditError,
  RateLimitError,
  ValidationError,
} from "../../src/index.ts";
import {
  authHeaders,
  boundary,
  failureOf,
  familyRequest,
  inputPng,
  multipartContentType,
  oversizedPng,
  pactFor,
  states,
  upscaleOptions,
  upscalerFor,
} from "./support.ts";

const { like, eachLike, regex, integer, boolean, datetime } = MatchersV3;
const pact = pactFor("ideogram");

function upscaleRequest(description: string, state: string, image: Uint8Array = inputPng) {
  const { body, rules } = familyRequest(image);
  return pact
    .addInteraction()
    .given(state)
    .uponReceiving(description)
    .withRequest("POST", "/upscale", (builder) => {
      builder
        .headers({ ...authHeaders.ideogram, "Content-Type": multipartContentType })
        .body(`multipart/form-data; boundary=${boundary}`, body)
        .matchingRules(rules);
    });
}

const start = (mock: V3MockServer, image: Uint8Array = inputPng) =>
  upscalerFor("ideogram", mock).start(image, upscaleOptions);
const errorBody = (example: string) => ({ error: like(example) });

describe("ideogram pact", () => {
  it("upscales an image (multipart, sync)", async () => {
    await upscaleRequest("an upscale of a PNG", states.ready)
      .willRespondWith(200, (builder) => {
        builder.jsonBody({
          created: datetime("yyyy-MM-dd'T'HH:mm:ss.SSSX", "2026-01-01T00:00:00.000Z"),
          data: eachLike({
            url: regex(
              "^https?://\\S+$",
              "https://ideogram.ai/api/images/ephemeral/abc.png?exp=1767312000&sig=0f",
            ),
            prompt: like("A detailed, high-resolution rendition of the input image."),
            resolution: regex("^\\d+x\\d+$", "8x6"),
            upscaled_resolution: regex("^\\d+x\\d+$", "16x12"),
            is_image_safe: boolean(true),
            seed: integer(902684576),
          }),
        });
      })
      .executeTest(async (mock) => {
        const upscaler = upscalerFor("ideogram", mock);
        const handle = await upscaler.start(inputPng, upscaleOptions);
        expect(handle.state).toBe("done");
        const result = await upscaler.result(handle);
        expect(result.images[0]).toMatchObject({ width: 16, height: 12 });
        expect(result.seed).toBe(902684576);
      });
  });

  it("reports invalid input as ValidationError (400)", async () => {
    await upscaleRequest("an upscale of an image over the pixel limit", states.ready, oversizedPng())
      .willRespondWith(400, (b) => b.jsonBody(errorBody("Invalid image_file: the image is too large.")))
      .executeTest(async (mock) => {
        expect(await failureOf(start(mock, oversizedPng()))).toBeInstanceOf(ValidationError);
      });
  });

  it("reports a refused key as AuthError (401)", async () => {
    await upscaleRequest("an upscale with a key Ideogram refuses", states.badKey)
      .willRespondWith(401, (b) => b.jsonBody(errorBody("Unauthorized: invalid API key.")))
      .executeTest(async (mock) => {
        expect(await failureOf(start(mock))).toBeInstanceOf(AuthError);
      });
  });

  it("reports an empty balance as InsufficientCreditError (402)", async () => {
    await upscaleRequest("an upscale on an account out of credit", states.noCredit)
      .willRespondWith(402, (b) =>
        b.jsonBody({
          error: like("Insufficient funds to complete the request."),
          reject_reason: regex("^(insufficient_funds|daily_limit)$", "insufficient_funds"),
        }),
      )
      .executeTest(async (mock) => {
        expect(await failureOf(start(mock))).toBeInstanceOf(InsufficientCreditError);
      });
  });

  it("reports the safety check as ContentPolicyError (422)", async () => {
    await upscaleRequest("an upscale the safety check refuses", states.unsafe)
      .willRespondWith(422, (b) => b.jsonBody(errorBody("Prompt or initial image failed safety check.")))
      .executeTest(async (mock) => {
        expect(await failureOf(start(mock))).toBeInstanceOf(ContentPolicyError);
      });
  });

  it("reports the rate limit as RateLimitError with Retry-After (429)", async () => {
    await upscaleRequest("an upscale over the rate limit", states.rateLimited)
      .willRespondWith(429, (b) =>
        b.headers({ "Retry-After": regex("^\\d+$", "2") }).jsonBody(errorBody("Too many requests.")),
      )
      .executeTest(async (mock) => {
        const error = await failureOf(start(mock));
        expect(error).toBeInstanceOf(RateLimitError);
        expect((error as RateLimitError).retryAfterMs).toBe(2000);
      });
  });

  it("reports an outage as a retryable ApiError (503)", async () => {
    await upscaleRequest("an upscale while Ideogram is down", states.outage)
      .willRespondWith(503, (b) => b.jsonBody(errorBody("Service temporarily unavailable. Retry later.")))
      .executeTest(async (mock) => {
        const error = await failureOf(start(mock));
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status: 503, retryable: true });
      });
  });
});
