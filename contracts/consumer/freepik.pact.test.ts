/** Freepik Magnific: a base64 JSON submit, the task lifecycle, the task list, and signed webhooks. */
import { MatchersV3, type V3MockServer } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthError,
  parseWebhook,
  RateLimitError,
  ValidationError,
  verifyWebhook,
} from "../../src/index.ts";
import { TaskListResponse } from "../../src/providers/freepik/schemas.ts";
import {
  authHeaders,
  exampleIds,
  exampleKeys,
  failureOf,
  injected,
  inputPng,
  inputPngBase64,
  pactFor,
  pendingHandle,
  settledFetch,
  states,
  upscaleOptions,
  upscalerFor,
  webhookMessages,
} from "./support.ts";
import { freepikDelivery, webhookTime } from "./webhook-signing.ts";

const { like, eachLike, regex, integer, uuid, fromProviderState } = MatchersV3;
const pact = pactFor("freepik");
const id = exampleIds.freepikTask;
const json = { "Content-Type": "application/json" };
const resultUrl = regex("^https?://\\S+$", "https://ai-statics.freepik.com/content/mg-upscaler/result.png");
const statuses = "^(CREATED|IN_PROGRESS|COMPLETED|FAILED)$";

const creative = {
  image: regex("^[A-Za-z0-9+/]+={0,2}$", inputPngBase64),
  scale_factor: regex("^(2x|4x|8x|16x)$", "2x"),
  prompt: like(upscaleOptions.prompt),
  resemblance: integer(2),
  hdr: integer(-2),
};

function submit(description: string, state: string) {
  return pact
    .addInteraction()
    .given(state)
    .uponReceiving(description)
    .withRequest("POST", "/v1/ai/image-upscaler", (b) => {
      b.headers({ ...authHeaders.freepik, ...json }).jsonBody(creative);
    });
}

function poll(description: string, taskState: string) {
  return pact
    .addInteraction()
    .given(states.task(taskState))
    .uponReceiving(description)
    .withRequest(
      "GET",
      fromProviderState(`/v1/ai/image-upscaler/${injected("taskId")}`, `/v1/ai/image-upscaler/${id}`),
      (b) => {
        b.headers(authHeaders.freepik);
      },
    );
}

const task = (status: string, generated: unknown = []) => ({
  data: { task_id: uuid(id), status, generated },
});
const start = (mock: V3MockServer) => upscalerFor("freepik", mock).start(inputPng, upscaleOptions);
const handle = pendingHandle("freepik", id, { endpoint: "creative" });
const message = (text: string) => ({ message: like(text) });

describe("freepik pact", () => {
  it("submits an upscale task (base64 image)", async () => {
    await submit("an upscale task submitted", states.ready)
      .willRespondWith(200, (b) => b.jsonBody(task("IN_PROGRESS")))
      .executeTest(async (mock) => {
        expect(await start(mock)).toMatchObject({ state: "pending", id, endpoint: "creative" });
      });
  });

  for (const [state, expected] of [
    ["CREATED", "queued"],
    ["IN_PROGRESS", "running"],
    ["FAILED", "failed"],
  ] as const) {
    it(`reads a task that is ${state}`, async () => {
      await poll(`a status read of a task that is ${state}`, state)
        .willRespondWith(200, (b) => b.jsonBody(task(state)))
        .executeTest(async (mock) => {
          expect(await upscalerFor("freepik", mock).status(handle)).toMatchObject({
            state: expected,
            providerState: state,
          });
        });
    });
  }

  it("reads a completed task and its result", async () => {
    await poll("a status read of a task that is COMPLETED", "COMPLETED")
      .willRespondWith(200, (b) => b.jsonBody(task("COMPLETED", eachLike(resultUrl))))
      .executeTest(async (mock) => {
        const result = await upscalerFor("freepik", mock).result(handle);
        expect(result.images[0]).toMatchObject({ width: 16, height: 12 });
      });
  });

  it("lists tasks (read with the client's shared schema: the unified client has no list call)", async () => {
    await pact
      .addInteraction()
      .given(states.task("COMPLETED"))
      .uponReceiving("a list of upscale tasks")
      .withRequest("GET", "/v1/ai/image-upscaler", (b) => {
        b.headers(authHeaders.freepik);
      })
      .willRespondWith(200, (b) =>
        b.jsonBody({ data: eachLike({ task_id: uuid(id), status: regex(statuses, "COMPLETED") }) }),
      )
      .executeTest(async (mock) => {
        const response = await settledFetch(`${mock.url}/v1/ai/image-upscaler`, {
          headers: { "x-freepik-api-key": exampleKeys.freepik },
        });
        const list = TaskListResponse.parse(await response.json());
        expect(list.data[0]).toEqual({ task_id: id, status: "COMPLETED" });
      });
  });

  it("reports an image Freepik cannot read as ValidationError (400)", async () => {
    const missing = "https://example.invalid/missing.png";
    await pact
      .addInteraction()
      .given(states.ready)
      .uponReceiving("a precision-v2 upscale of an image URL that cannot be downloaded")
      .withRequest("POST", "/v1/ai/image-upscaler-precision-v2", (b) => {
        b.headers({ ...authHeaders.freepik, ...json }).jsonBody({
          image: missing,
          ultra_detail: integer(upscaleOptions.detail),
          scale_factor: integer(2),
        });
      })
      .willRespondWith(400, (b) =>
        b.jsonBody(message("The image could not be downloaded from the given URL.")),
      )
      .executeTest(async (mock) => {
        const error = await failureOf(
          upscalerFor("freepik", mock).start(missing, {
            detail: upscaleOptions.detail,
            providerOptions: { freepik: { endpoint: "precision-v2" } },
          }),
        );
        expect(error).toBeInstanceOf(ValidationError);
      });
  });

  it("reports a refused key as AuthError (401)", async () => {
    await submit("an upscale with a key Freepik refuses", states.badKey)
      .willRespondWith(401, (b) => b.jsonBody(message("Invalid API key")))
      .executeTest(async (mock) => {
        expect(await failureOf(start(mock))).toBeInstanceOf(AuthError);
      });
  });

  it("reports the rate limit as RateLimitError with Retry-After (429)", async () => {
    await submit("an upscale over the rate limit", states.rateLimited)
      .willRespondWith(429, (b) =>
        b.headers({ "Retry-After": regex("^\\d+$", "2") }).jsonBody(message("Rate limit exceeded.")),
      )
      .executeTest(async (mock) => {
        const error = await failureOf(start(mock));
        expect(error).toBeInstanceOf(RateLimitError);
        expect((error as RateLimitError).retryAfterMs).toBe(2000);
      });
  });

  it("reports an outage as a retryable ApiError (503)", async () => {
    await submit("an upscale while Freepik is down", states.outage)
      .willRespondWith(503, (b) => b.jsonBody(message("Service Unavailable. Please try again later.")))
      .executeTest(async (mock) => {
        const error = await failureOf(start(mock));
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status: 503, retryable: true });
      });
  });
});

describe("freepik webhook pact", () => {
  const secret = "pact-webhook-secret";
  const metadata = {
    contentType: "application/json",
    "webhook-id": regex("^\\S+$", "1f0c2a0e-5b7d-4c1e-9a3f-2d4b6c8e0a1b"),
    "webhook-timestamp": regex("^\\d+$", String(webhookTime)),
    "webhook-signature": regex("^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$", "v1,c2lnbmF0dXJl"),
  };

  async function receive(content: unknown, meta: Record<string, unknown>) {
    const rawBody = JSON.stringify(content);
    const headers = freepikDelivery(secret, String(meta["webhook-id"]), rawBody);
    const verified = await verifyWebhook("freepik", { headers, rawBody, secret, now: webhookTime * 1000 });
    expect(parseWebhook("freepik", rawBody)).toEqual(verified.status);
    return verified.status;
  }

  for (const [description, status, generated, state] of [
    [webhookMessages.freepikCompleted, "COMPLETED", eachLike(resultUrl), "succeeded"],
    [webhookMessages.freepikFailed, "FAILED", [], "failed"],
  ] as const) {
    it(`accepts a signed webhook for a ${status} task`, async () => {
      await pact
        .addAsynchronousInteraction()
        .given(states.ready)
        .expectsToReceive(description, (b) => {
          b.withMetadata(metadata).withJSONContent({ task_id: uuid(id), status, generated });
        })
        .executeTest(async (m) => {
          const parsed = await receive(m.contents.content, m.metadata as Record<string, unknown>);
          expect(parsed).toMatchObject({ id, state, providerState: status });
        });
    });
  }
});
