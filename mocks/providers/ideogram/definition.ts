/**
 * Ideogram's legacy upscale: one synchronous multipart `POST /upscale` answered with the finished
 * images (2x) on ephemeral signed links. Behaviour per docs/providers.md "ideogram"; wire shapes per
 * specs/ideogram.yaml.
 *
 * Deterministic triggers (no randomness involved):
 * - preset `task-failure` → 422 `{error: "Prompt or initial image failed safety check."}`;
 * - a prompt containing the word "unsafe" → 200 with every result `is_image_safe: false`, `url: null`;
 * - preset `no-credit` → 402 `reject_reason: "insufficient_funds"`;
 * - preset `stuck` → the call never answers (a sync call has no task to leave stuck);
 * - more than `limits.providers.ideogram.inflightImages` images in flight in a namespace → 429 `inflight_limit`.
 */

import { ideogramFacts } from "../../../src/providers/ideogram/facts.ts";
import type { Fault } from "../../engine/faults.ts";
import {
  multipartOverheadBytes,
  type ProviderDefinition,
  providerLimit,
  type Route,
  type RouteContext,
} from "../../engine/provider.ts";
import { bytes, hang, json, type SimRequest, type SimResponse, text } from "../../engine/sim-http.ts";
import { answerFault } from "../common/fault-answers.ts";
import { hasFault } from "../common/lifecycle.ts";
import { serveOutput } from "../common/render.ts";
import { inflightSlots } from "../ideogram-family/inflight.ts";
import { checkLink, ephemeralPrefix, signedPath } from "../ideogram-family/links.ts";
import { readUpscaleRequest } from "../ideogram-family/request.ts";
import {
  type FamilyResult,
  produceResults,
  safetyCheckMessage,
  sampleWorkMs,
} from "../ideogram-family/results.ts";

const error = (status: number, message: string, headers: Record<string, string> = {}) =>
  json(status, { error: message }, headers);

/** `max_inflight_requests` is reported when known (the rate-limit fault does not know the limit). */
function inflightLimit(limit: number | undefined, headers: Record<string, string> = {}): SimResponse {
  return json(
    429,
    {
      error: "Too many in-flight requests. Wait for running upscales to finish, then retry.",
      reject_reason: "inflight_limit",
      ...(limit !== undefined ? { max_inflight_requests: limit } : {}),
    },
    headers,
  );
}

function imageObject(ctx: RouteContext, result: FamilyResult) {
  let url: string | null = null;
  if (result.outputId) {
    const expiresAt = ctx.sim.outputs.expiresAt(result.outputId) ?? ctx.ns.clock.now();
    url = ctx.url("cdn", signedPath(ctx.sim.linkSecret, result.outputId, expiresAt));
  }
  return {
    url,
    prompt: result.prompt,
    resolution: result.resolution,
    upscaled_resolution: result.upscaled_resolution,
    is_image_safe: result.safe,
    seed: result.seed,
  };
}

const upscaleRoute: Route = {
  host: "api",
  method: "POST",
  path: "/upscale",
  operation: "upscaleImage",
  phase: "submit",
  maxBodyBytes: (limits) => limits.maxUploadBytes + multipartOverheadBytes,
  async handle(ctx) {
    if (hasFault(ctx, "no-credit")) {
      return json(402, {
        error: "Insufficient funds to complete the request. Add credit to your Ideogram API account.",
        reject_reason: "insufficient_funds",
      });
    }
    const request = await readUpscaleRequest(ctx);
    if (!request.ok) return error(request.kind === "too-large" ? 413 : 400, request.message);
    const failure = ctx.faults.find((fault) => fault.kind === "task-failure");
    if (failure) return error(422, failure.reason ?? safetyCheckMessage);
    if (hasFault(ctx, "stuck")) return hang();

    const limit = providerLimit(ctx, "inflightImages");
    const slots = await ctx.takeSlots(inflightSlots, request.numImages, limit);
    if (!slots) return inflightLimit(limit);
    try {
      const created = new Date(ctx.ns.clock.now()).toISOString();
      const results = produceResults(ctx, request);
      await ctx.work(sampleWorkMs(ctx));
      return json(200, { created, data: results.map((result) => imageObject(ctx, result)) });
    } finally {
      slots.release();
    }
  },
};

const forbidden = (message: string): SimResponse => text(403, message);

/** The ephemeral link: signature first (403), then expiry (403 expired), as Ideogram's CDN does. */
const downloadRoute: Route = {
  host: "cdn",
  method: "GET",
  path: `${ephemeralPrefix}:file`,
  operation: "downloadEphemeralImage",
  phase: "download",
  auth: false,
  async handle(ctx) {
    const id = ctx.params.file!.replace(/\.png$/, "");
    const link = checkLink(ctx.sim.linkSecret, id, ctx.req.query, ctx.ns.clock.now());
    if (!link.ok && link.problem === "bad-signature") return forbidden("Forbidden: invalid signature.");
    if (!link.ok) return forbidden("Forbidden: this image link has expired.");
    const served = await serveOutput(ctx, id);
    if (served.kind === "ok")
      return bytes(200, served.data, served.contentType, { "cache-control": "private, max-age=86400" });
    if (served.kind === "expired") return forbidden("Forbidden: this image link has expired.");
    return text(404, "Not Found");
  },
};

function authenticate(req: SimRequest): SimResponse | undefined {
  const key = req.headers["api-key"];
  if (key !== undefined && key.trim() !== "") return undefined;
  if (req.headers.authorization)
    return error(401, "Unauthorized: Ideogram expects the key in the Api-Key header, not Authorization.");
  return error(401, "Unauthorized: missing Api-Key header.");
}

const statusMessages: Record<number, string> = {
  400: "Invalid request.",
  401: "Unauthorized: invalid API key.",
  403: "Forbidden: this API key is not authorized for this endpoint.",
  404: "Not found.",
  500: "Internal server error. Retry later.",
  503: "Service temporarily unavailable. Retry later.",
};

function faultResponse(fault: Fault): SimResponse {
  return answerFault(fault, {
    error,
    messages: statusMessages,
    rateLimited: (headers) => inflightLimit(undefined, headers),
  });
}

export const ideogram: ProviderDefinition = {
  id: "ideogram",
  hosts: ideogramFacts.hosts,
  credentialHeaders: ideogramFacts.credentialHeaders,
  limits: ideogramFacts.limits,
  routes: [upscaleRoute, downloadRoute],
  authenticate,
  faultResponse,
  notFound: () => error(404, statusMessages[404]!),
  bodyTooLarge: (_route, limit) =>
    error(413, `Image file is too large; the request is over ${limit} bytes. Resize or compress the image.`),
};
