/** chainhub: Ideogram's multipart request answered with a task envelope, then polled by task id. */
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
  familyRequest,
  injected,
  inputPng,
  multipartContentType,
  oversizedPng,
  pactFor,
  pendingHandle,
  states,
  upscaleOptions,
  upscalerFor,
} from "./support.ts";

const { like, eachLike, regex, integer, uuid, fromProviderState } = MatchersV3;
const pact = pactFor("chainhub");
const taskPath = fromProviderState(
  `/ideogram/upscale/${injected("taskId")}`,
  `/ideogram/upscale/${exampleIds.chainhubTask}`,
);

function submit(description: string, state: string, image: Uint8Array = inputPng) {
  const { body, rules } = familyRequest(image);
  return pact
    .addInteraction()
    .given(state)
    .uponReceiving(description)
    .withRequest("POST", "/ideogram/upscale", (builder) => {
      builder
        .headers({ ...authHeaders.chainhub, "Content-Type": multipartContentType })
        .body(`multipart/form-data; boundary=${boundary}`, body)
        .matchingRules(rules);
    });
}

function poll(description: string, taskState: string) {
  return pact
    .addInteraction()
    .given(states.task(taskState))
    .uponReceiving(description)
    .withRequest("GET", taskPath, (builder) => {
      builder.headers(authHeaders.chainhub);
    });
}

const envelope = (data: Record<string, unknown>) => ({
  code: 0,
  message: like("success"),
  request_id: like("0e6c3372-d479-4159-88aa-d18592176b43"),
  data: {
    task_id: uuid(exampleIds.chainhubTask),
    created_at: integer(1767225600000),
    updated_at: integer(1767225600000),
    ...data,
  },
});
const errorEnvelope = (code: number, message: string) => ({
  code,
  message: like(message),
  request_id: like("a8bfe231-f398-4956-8c9e-4331641243a6"),
});
const start = (mock: V3MockServer, image: Uint8Array = inputPng) =>
  upscalerFor("chainhub", mock).start(image, upscaleOptions);
const handle = pendingHandle("chainhub", exampleIds.chainhubTask);

describe("chainhub pact", () => {
  it("submits an upscale task (multipart)", async () => {
    await submit("an upscale task submitted", states.ready)
      .willRespondWith(200, (b) => b.jsonBody(envelope({ task_status: "submitted" })))
      .executeTest(async (mock) => {
        const started = await start(mock);
        expect(started).toMatchObject({ state: "pending", id: exampleIds.chainhubTask });
      });
  });

  it("reads a task that is processing", async () => {
    await poll("a status read of a processing task", "processing")
      .willRespondWith(200, (b) => b.jsonBody(envelope({ task_status: "processing" })))
      .executeTest(async (mock) => {
        expect(await upscalerFor("chainhub", mock).status(handle)).toMatchObject({ state: "running" });
      });
  });

  it("reads a finished task and its images", async () => {
    await poll("a status read of a finished task", "succeed")
      .willRespondWith(200, (b) =>
        b.jsonBody(
          envelope({
            task_status: "succeed",
            task_result: {
              images: eachLike({
                url: regex("^https?://\\S+$", "https://cdn.chainhub.tech/files/ideogram/abc.png"),
                resolution: regex("^\\d+x\\d+$", "8x6"),
                upscaled_resolution: regex("^\\d+x\\d+$", "16x12"),
              }),
            },
          }),
        ),
      )
      .executeTest(async (mock) => {
        const result = await upscalerFor("chainhub", mock).result(handle);
        expect(result.images[0]).toMatchObject({ width: 16, height: 12 });
      });
  });

  it("reads a failed task and its reason", async () => {
    await poll("a status read of a failed task", "failed")
      .willRespondWith(200, (b) =>
        b.jsonBody(
          envelope({
            task_status: "failed",
            task_status_msg: like("Prompt or initial image failed safety check."),
          }),
        ),
      )
      .executeTest(async (mock) => {
        const status = await upscalerFor("chainhub", mock).status(handle);
        expect(status).toMatchObject({ state: "failed", error: { type: "failed" } });
      });
  });

  it("reports invalid input as ValidationError (400)", async () => {
    await submit("an upscale of an image over the pixel limit", states.ready, oversizedPng())
      .willRespondWith(400, (b) => b.jsonBody(errorEnvelope(1200, "Invalid image_file: too large.")))
      .executeTest(async (mock) => {
        expect(await failureOf(start(mock, oversizedPng()))).toBeInstanceOf(ValidationError);
      });
  });

  it("reports a refused key as AuthError (401)", async () => {
    await submit("an upscale with a key chainhub refuses", states.badKey)
      .willRespondWith(401, (b) => b.jsonBody(errorEnvelope(1000, "Authentication failed: invalid API key")))
      .executeTest(async (mock) => {
        expect(await failureOf(start(mock))).toBeInstanceOf(AuthError);
      });
  });

  it("reports an empty balance as InsufficientCreditError (402)", async () => {
    await submit("an upscale on an account out of credit", states.noCredit)
      .willRespondWith(402, (b) => b.jsonBody(errorEnvelope(1101, "Insufficient account balance.")))
      .executeTest(async (mock) => {
        expect(await failureOf(start(mock))).toBeInstanceOf(InsufficientCreditError);
      });
  });

  it("reports the rate limit as RateLimitError with Retry-After (429)", async () => {
    await submit("an upscale over the rate limit", states.rateLimited)
      .willRespondWith(429, (b) =>
        b
          .headers({ "Retry-After": regex("^\\d+$", "2") })
          .jsonBody(errorEnvelope(1302, "Rate limit exceeded, please retry later")),
      )
      .executeTest(async (mock) => {
        const error = await failureOf(start(mock));
        expect(error).toBeInstanceOf(RateLimitError);
        expect((error as RateLimitError).retryAfterMs).toBe(2000);
      });
  });

  it("reports an outage as a retryable ApiError (503)", async () => {
    await submit("an upscale while chainhub is down", states.outage)
      .willRespondWith(503, (b) => b.jsonBody(errorEnvelope(5001, "Service temporarily unavailable")))
      .executeTest(async (mock) => {
        const error = await failureOf(start(mock));
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status: 503, retryable: true });
      });
  });
});
