/**
 * fal: the sync run (fal.run) and the queue (queue.fal.run) in one pact, with the client's fal
 * hosts all on Pact's mock server by name (/run, /queue), as the standalone simulator serves them.
 * The queue's URLs come back on the mock server (MockServerURL generators), as the client
 * follows them only on its configured queue host.
 */
import { MatchersV3, type V3MockServer } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthError,
  ContentPolicyError,
  InsufficientCreditError,
  parseWebhook,
  RateLimitError,
  ValidationError,
  verifyWebhook,
} from "../../src/index.ts";
import {
  authHeaders,
  exampleIds,
  failureOf,
  injected,
  inputDataUri,
  inputPng,
  pactFor,
  pendingHandle,
  states,
  upscaleOptions,
  upscalerFor,
  webhookMessages,
} from "./support.ts";
import { falKeys, webhookTime } from "./webhook-signing.ts";

const { like, eachLike, regex, integer, uuid, url, fromProviderState } = MatchersV3;
const pact = pactFor("fal");
const id = exampleIds.falRequest;
const requestPath = (suffix: string) =>
  fromProviderState(
    `/queue/fal-ai/ideogram/requests/${injected("requestId")}${suffix}`,
    `/queue/fal-ai/ideogram/requests/${id}${suffix}`,
  );
const requestUrl = (...suffix: string[]) =>
  url(["queue", "fal-ai", "ideogram", "requests", regex("[^/]+", id), ...suffix]);

const input = {
  image_url: regex("^data:image/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$", inputDataUri),
  prompt: like(upscaleOptions.prompt),
  resemblance: integer(upscaleOptions.resemblance),
  detail: integer(upscaleOptions.detail),
};
const file = {
  url: regex("^(https?://|data:)\\S+$", "https://v3.fal.media/files/koala/result.png"),
  content_type: like("image/png"),
  file_name: like("image.png"),
  file_size: integer(564),
  width: integer(16),
  height: integer(12),
};
const output = { images: eachLike(file), seed: integer(1115035805) };
const requestIdHeader = { "x-fal-request-id": regex("^\\S+$", id) };
const json = { "Content-Type": "application/json" };

function submit(description: string, state: string, host: "run" | "queue" = "queue", body: object = input) {
  return pact
    .addInteraction()
    .given(state)
    .uponReceiving(description)
    .withRequest("POST", `/${host}/fal-ai/ideogram/upscale`, (b) => {
      b.headers({ ...authHeaders.fal, ...json }).jsonBody(body);
    });
}

function read(description: string, state: string, method: string, suffix: string, query?: object) {
  return pact
    .addInteraction()
    .given(state)
    .uponReceiving(description)
    .withRequest(method, requestPath(suffix), (b) => {
      b.headers(authHeaders.fal);
      if (query) b.query(query as Record<string, string>);
    });
}

const handleOn = (mock: V3MockServer) => {
  const base = `${mock.url}/queue/fal-ai/ideogram/requests/${id}`;
  return pendingHandle("fal", id, {
    urls: { status: `${base}/status`, result: base, cancel: `${base}/cancel` },
  });
};
const queueStart = (mock: V3MockServer) => upscalerFor("fal", mock).start(inputPng, upscaleOptions);
const logs = eachLike({
  message: like("Downloading input image..."),
  level: regex("^(INFO|WARN|ERROR|DEBUG|STDOUT|STDERR)$", "INFO"),
  source: "USER",
  timestamp: like("2026-01-01T00:00:04.385Z"),
});
const statusBody = (status: string, more: object = {}) => ({
  status,
  request_id: uuid(id),
  response_url: requestUrl(),
  status_url: requestUrl("status"),
  cancel_url: requestUrl("cancel"),
  ...more,
});

describe("fal pact", () => {
  it("runs an upscale synchronously on fal.run", async () => {
    await submit("a sync run of an upscale", states.ready, "run")
      .willRespondWith(200, (b) => b.headers(requestIdHeader).jsonBody(output))
      .executeTest(async (mock) => {
        const upscaler = upscalerFor("fal", mock);
        const handle = await upscaler.start(inputPng, {
          ...upscaleOptions,
          providerOptions: { fal: { mode: "sync" } },
        });
        expect(handle).toMatchObject({ state: "done", id });
        const result = await upscaler.result(handle);
        expect(result.images[0]).toMatchObject({ width: 16, height: 12, contentType: "image/png" });
      });
  });

  it("reports an input fal cannot download as ValidationError (422)", async () => {
    const missing = "https://example.invalid/missing.png";
    await submit("a sync run of an image that cannot be downloaded", states.ready, "run", {
      image_url: missing,
      prompt: like(upscaleOptions.prompt),
    })
      .willRespondWith(422, (b) =>
        b.headers({ "x-fal-retryable": regex("^(true|false)$", "false") }).jsonBody({
          detail: eachLike({
            loc: eachLike("body"),
            msg: like("Failed to download the file. Please check if the URL is accessible."),
            type: "file_download_error",
          }),
        }),
      )
      .executeTest(async (mock) => {
        const error = await failureOf(
          upscalerFor("fal", mock).start(missing, {
            prompt: "crisp",
            providerOptions: { fal: { mode: "sync" } },
          }),
        );
        expect(error).toBeInstanceOf(ValidationError);
      });
  });

  it("queues an upscale and gets the request's URLs", async () => {
    await submit("a queued upscale", states.ready)
      .willRespondWith(200, (b) =>
        b.headers(requestIdHeader).jsonBody(statusBody("IN_QUEUE", { queue_position: integer(0) })),
      )
      .executeTest(async (mock) => {
        const handle = await queueStart(mock);
        expect(handle).toMatchObject({ state: "pending", id });
        expect(handle.urls?.status).toBe(`${mock.url}/queue/fal-ai/ideogram/requests/${id}/status`);
      });
  });

  it("reads a queued request and its position", async () => {
    await read("a status read of a queued request", states.queued, "GET", "/status", { logs: "1" })
      .willRespondWith(200, (b) => b.jsonBody(statusBody("IN_QUEUE", { queue_position: 2 })))
      .executeTest(async (mock) => {
        const status = await upscalerFor("fal", mock).status(handleOn(mock));
        expect(status).toMatchObject({ state: "queued", queuePosition: 2 });
      });
  });

  it("reads a running request and its logs", async () => {
    await read("a status read of a running request", states.request("IN_PROGRESS"), "GET", "/status", {
      logs: "1",
    })
      .willRespondWith(200, (b) => b.jsonBody(statusBody("IN_PROGRESS", { logs })))
      .executeTest(async (mock) => {
        const status = await upscalerFor("fal", mock).status(handleOn(mock));
        expect(status.state).toBe("running");
        expect(status.logs?.[0]?.message).toBe("Downloading input image...");
      });
  });

  it("reads a completed request, then its result", async () => {
    read("a status read of a completed request", states.request("COMPLETED"), "GET", "/status", {
      logs: "1",
    }).willRespondWith(200, (b) =>
      b.jsonBody(statusBody("COMPLETED", { logs, metrics: { inference_time: MatchersV3.number(4.2) } })),
    );
    await read("a result read of a completed request", states.request("COMPLETED"), "GET", "")
      .willRespondWith(200, (b) => b.jsonBody(output))
      .executeTest(async (mock) => {
        const result = await upscalerFor("fal", mock).result(handleOn(mock));
        expect(result.images[0]).toMatchObject({ width: 16, height: 12 });
        expect(result.seed).toBe(1115035805);
      });
  });

  it("reports a result the content checker flagged as ContentPolicyError (COMPLETED, then 422)", async () => {
    read("a status read of a request whose result was flagged", states.contentPolicy, "GET", "/status", {
      logs: "1",
    }).willRespondWith(200, (b) => b.jsonBody(statusBody("COMPLETED", { logs })));
    await read("a result read of a request the content checker flagged", states.contentPolicy, "GET", "")
      .willRespondWith(422, (b) =>
        b.headers({ "x-fal-retryable": regex("^(true|false)$", "false") }).jsonBody({
          detail: eachLike({
            loc: eachLike("body"),
            msg: like(
              "The content could not be processed because it contained material flagged by a content checker.",
            ),
            type: "content_policy_violation",
          }),
        }),
      )
      .executeTest(async (mock) => {
        const error = await failureOf(upscalerFor("fal", mock).result(handleOn(mock)));
        expect(error).toBeInstanceOf(ContentPolicyError);
        expect(error).toMatchObject({ errorType: "content_policy_violation" });
      });
  });

  it("cancels a queued request", async () => {
    await read("a cancel of a queued request", states.request("IN_QUEUE"), "PUT", "/cancel")
      .willRespondWith(202, (b) => b.jsonBody({ status: "CANCELLATION_REQUESTED" }))
      .executeTest(async (mock) => {
        expect(await upscalerFor("fal", mock).cancel(handleOn(mock))).toBe(true);
      });
  });

  it("reports a refused key as AuthError (401)", async () => {
    await submit("a queued upscale with a key fal refuses", states.badKey)
      .willRespondWith(401, (b) => b.jsonBody({ detail: like("No user found for Key ID and Secret") }))
      .executeTest(async (mock) => {
        expect(await failureOf(queueStart(mock))).toBeInstanceOf(AuthError);
      });
  });

  it("reports an exhausted balance as InsufficientCreditError (403)", async () => {
    await submit("a queued upscale on an account out of credit", states.noCredit)
      .willRespondWith(403, (b) =>
        b.jsonBody({
          detail: regex("^.*([Bb]alance|[Ll]ocked).*$", "User is locked. Reason: Exhausted balance."),
        }),
      )
      .executeTest(async (mock) => {
        expect(await failureOf(queueStart(mock))).toBeInstanceOf(InsufficientCreditError);
      });
  });

  it("reports the rate limit as RateLimitError with Retry-After (429)", async () => {
    await submit("a queued upscale over the rate limit", states.rateLimited)
      .willRespondWith(429, (b) =>
        b.headers({ "Retry-After": regex("^\\d+$", "2") }).jsonBody({ detail: like("Too many requests.") }),
      )
      .executeTest(async (mock) => {
        const error = await failureOf(queueStart(mock));
        expect(error).toBeInstanceOf(RateLimitError);
        expect((error as RateLimitError).retryAfterMs).toBe(2000);
      });
  });

  it("reports an outage as a retryable ApiError (503)", async () => {
    await submit("a queued upscale while fal is down", states.outage)
      .willRespondWith(503, (b) =>
        b.headers({ "x-fal-error-type": like("runner_scheduling_failure") }).jsonBody({
          detail: like("Failed to schedule a runner for the request."),
          error_type: like("runner_scheduling_failure"),
        }),
      )
      .executeTest(async (mock) => {
        const error = await failureOf(queueStart(mock));
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status: 503, retryable: true });
      });
  });
});

describe("fal webhook pact", () => {
  const signatureMetadata = {
    contentType: "application/json",
    "x-fal-webhook-request-id": regex("^\\S+$", id),
    "x-fal-webhook-user-id": regex("^\\S+$", "user_3f2a9c1d7e4b5a60"),
    "x-fal-webhook-timestamp": regex("^\\d+$", String(webhookTime)),
    "x-fal-webhook-signature": regex("^[0-9a-f]{128}$", "ab".repeat(64)),
  };
  const keys = falKeys();

  async function receive(content: unknown, metadata: Record<string, unknown>) {
    const rawBody = JSON.stringify(content);
    const body = content as { request_id: string };
    const headers = keys.delivery(body.request_id, String(metadata["x-fal-webhook-user-id"]), rawBody);
    const verified = await verifyWebhook("fal", {
      headers,
      rawBody,
      jwks: keys.jwks,
      now: webhookTime * 1000,
    });
    expect(verified.id).toBe(body.request_id);
    expect(parseWebhook("fal", rawBody)).toEqual(verified.status);
    return verified.status;
  }

  it("accepts a signed webhook for a run that succeeded", async () => {
    await pact
      .addAsynchronousInteraction()
      .given(states.ready)
      .expectsToReceive(webhookMessages.falOk, (b) => {
        b.withMetadata(signatureMetadata).withJSONContent({
          request_id: uuid(id),
          gateway_request_id: uuid(id),
          status: "OK",
          payload: output,
        });
      })
      .executeTest(async (message) => {
        const status = await receive(message.contents.content, message.metadata as Record<string, unknown>);
        expect(status).toMatchObject({ state: "succeeded", providerState: "OK", id });
      });
  });

  it("accepts a signed webhook for a run the content checker flagged", async () => {
    await pact
      .addAsynchronousInteraction()
      .given(states.ready)
      .expectsToReceive(webhookMessages.falError, (b) => {
        b.withMetadata(signatureMetadata).withJSONContent({
          request_id: uuid(id),
          gateway_request_id: uuid(id),
          status: "ERROR",
          error: like("Invalid status code: 422"),
          payload: {
            detail: eachLike({
              loc: eachLike("body"),
              msg: like(
                "The content could not be processed because it contained material flagged by a content checker.",
              ),
              type: "content_policy_violation",
            }),
          },
        });
      })
      .executeTest(async (message) => {
        const status = await receive(message.contents.content, message.metadata as Record<string, unknown>);
        expect(status).toMatchObject({ state: "failed", error: { type: "content_policy_violation" } });
      });
  });
});
