/**
 * How 1min.ai says "no": `{message}` JSON on the API host (NestJS-style, docs/providers.md "onemin"),
 * S3-style XML errors on the asset host (asset.1min.ai is an S3 bucket behind a CDN).
 */

import { oneminFacts } from "../../../src/providers/onemin/facts.ts";
import type { Fault } from "../../engine/faults.ts";
import type { FaultContext } from "../../engine/provider.ts";
import { json, type SimRequest, type SimResponse, text } from "../../engine/sim-http.ts";
import { answerFault } from "../common/fault-answers.ts";

export const requestsPerMinute: number = oneminFacts.limits.requestsPerMinute;

export const message = (status: number, text: string, headers: Record<string, string> = {}) =>
  json(status, { message: text }, headers);

export const texts = {
  unauthorized: "Unauthorized",
  noCredit: "Insufficient credits. Please top up your account to continue.",
  rateLimited: `Too many requests. Limit is ${requestsPerMinute} requests per minute.`,
  internal: "Internal server error",
  unavailable: "Service temporarily unavailable. Please try again later.",
} as const;

const statusTexts: Record<number, string> = {
  400: "Bad Request",
  401: texts.unauthorized,
  402: texts.noCredit,
  403: "Forbidden",
  404: "Not Found",
  413: "File too large.",
  429: texts.rateLimited,
  500: texts.internal,
  502: "Bad Gateway",
  503: texts.unavailable,
  504: "Gateway Timeout",
};

/** An S3 error document, as the asset bucket answers. */
export function s3Error(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  const value = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return text(status, value, "application/xml", headers);
}

function assetFault(fault: Fault): SimResponse {
  switch (fault.kind) {
    case "auth-failure":
      return s3Error(403, "AccessDenied", "Access Denied");
    case "rate-limit":
      return s3Error(503, "SlowDown", "Please reduce your request rate.", {
        "retry-after": String(fault.retryAfterSeconds),
      });
    case "error":
      return s3Error(
        fault.status,
        fault.status >= 500 ? "InternalError" : "InvalidRequest",
        fault.message ?? "Error",
      );
    default:
      return s3Error(503, "ServiceUnavailable", "Service is unable to handle request.");
  }
}

export function faultResponse(fault: Fault, { route }: FaultContext): SimResponse {
  if (route.host === "asset") return assetFault(fault);
  return answerFault(fault, { error: message, messages: statusTexts });
}

/** `API-KEY: <key>`; a missing or empty key (or another provider's header) is a 401. */
export function authenticate(req: SimRequest): SimResponse | undefined {
  const key = req.headers["api-key"];
  if (key === undefined || key.trim() === "") return message(401, texts.unauthorized);
  return undefined;
}

/** NestJS's answer for a route it does not have. */
export function notFound(req: SimRequest): SimResponse {
  return json(404, { message: `Cannot ${req.method} ${req.path}`, error: "Not Found", statusCode: 404 });
}
