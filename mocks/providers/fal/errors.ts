/**
 * fal's own error answers: `{detail}` for gateway errors, FastAPI/pydantic-style `{detail: [...]}`
 * (422) for validation and model errors with `X-Fal-Retryable`, and `{detail, error_type}` plus
 * `X-Fal-Error-Type` for infrastructure errors. Every answer carries `x-fal-request-id`.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { ValidationErrorItem } from "../../../src/providers/fal/schemas.ts";
import type { Fault } from "../../engine/faults.ts";
import { json, type SimResponse } from "../../engine/sim-http.ts";

export const requestIdHeader = "x-fal-request-id";
const errorDocs = "https://docs.fal.ai/errors";

/** Adds `x-fal-request-id` unless the answer already has one. */
export function withRequestId(response: SimResponse, id: string = randomUUID()): SimResponse {
  if (response.headers[requestIdHeader] !== undefined || response.status === 0) return response;
  return { ...response, headers: { ...response.headers, [requestIdHeader]: id } };
}

export const detail = (status: number, text: string, headers: Record<string, string> = {}) =>
  json(status, { detail: text }, headers);

export const unauthorized = () => detail(401, "No user found for Key ID and Secret");

export const exhaustedBalance = () =>
  detail(403, "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.");

export const requestNotFound = () => detail(404, "Request not found");

export type InfraErrorType =
  | "internal_error"
  | "runner_incomplete_response"
  | "runner_scheduling_failure"
  | "request_timeout";

const infra: Record<InfraErrorType, { status: number; detail: string }> = {
  internal_error: { status: 500, detail: "Internal server error" },
  runner_incomplete_response: { status: 502, detail: "The runner returned an incomplete response." },
  runner_scheduling_failure: { status: 503, detail: "Failed to schedule a runner for the request." },
  request_timeout: { status: 504, detail: "Request timed out" },
};

export interface ErrorAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** `userTimeout`: the caller's own `x-fal-request-timeout` expired (`X-Fal-Request-Timeout-Type: user`). */
export function infraError(type: InfraErrorType, text?: string, userTimeout = false): ErrorAnswer {
  const { status, detail: fallback } = infra[type];
  return {
    status,
    body: { detail: text ?? fallback, error_type: type },
    headers: {
      "x-fal-error-type": type,
      ...(userTimeout ? { "x-fal-request-timeout-type": "user" } : {}),
    },
  };
}

/** A 422 with one detail item; `X-Fal-Retryable: false` (the same input fails the same way). */
export function validationError(items: ValidationErrorItem[], retryable = false): ErrorAnswer {
  return { status: 422, body: { detail: items }, headers: { "x-fal-retryable": String(retryable) } };
}

export function modelError(
  type: string,
  msg: string,
  extra: { input?: unknown; ctx?: Record<string, unknown> } = {},
): ErrorAnswer {
  return validationError([
    {
      loc: ["body", "image_url"],
      msg,
      type,
      url: `${errorDocs}#${type}`,
      ...(extra.ctx ? { ctx: extra.ctx } : {}),
      ...(extra.input !== undefined ? { input: extra.input } : {}),
    },
  ]);
}

export const contentPolicyViolation = () =>
  modelError(
    "content_policy_violation",
    "The content could not be processed because it contained material flagged by a content checker.",
  );

export const fileDownloadError = (input: string) =>
  modelError("file_download_error", "Failed to download the file. Please check if the URL is accessible.", {
    input: input.startsWith("data:") ? `${input.slice(0, 40)}…` : input,
  });

export function answer(error: ErrorAnswer): SimResponse {
  return json(error.status, error.body, error.headers);
}

/** pydantic's wording for each zod issue, so clients that read fal's `detail` items work. */
export function pydanticItems(error: z.ZodError, raw: unknown, where = "body"): ValidationErrorItem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
    const input = echoable(valueAt(raw, path));
    const loc = [where, ...path];
    const base = { loc, input };
    switch (issue.code) {
      case "invalid_type":
        if (input === undefined && path.length > 0) return { loc, msg: "Field required", type: "missing" };
        if (path.length === 0)
          return {
            ...base,
            msg: "Input should be a valid dictionary or object to extract fields from",
            type: "model_attributes_type",
          };
        return { ...base, ...typeMessage(issue.expected, input) };
      case "too_small":
        return {
          ...base,
          msg: `Input should be greater than or equal to ${issue.minimum}`,
          type: "greater_than_equal",
          ctx: { ge: Number(issue.minimum) },
        };
      case "too_big":
        return {
          ...base,
          msg: `Input should be less than or equal to ${issue.maximum}`,
          type: "less_than_equal",
          ctx: { le: Number(issue.maximum) },
        };
      case "invalid_format":
        return {
          ...base,
          msg: "Input should be a valid URL, relative URL without a base",
          type: "url_parsing",
        };
      default:
        return { ...base, msg: issue.message, type: "value_error" };
    }
  });
}

function typeMessage(expected: string, input: unknown): { msg: string; type: string } {
  switch (expected) {
    case "int":
      return typeof input === "number"
        ? {
            msg: "Input should be a valid integer, got a number with a fractional part",
            type: "int_from_float",
          }
        : { msg: "Input should be a valid integer", type: "int_type" };
    case "number":
      return { msg: "Input should be a valid integer", type: "int_type" };
    case "boolean":
      return { msg: "Input should be a valid boolean", type: "bool_type" };
    case "string":
      return { msg: "Input should be a valid string", type: "string_type" };
    default:
      return { msg: `Input should be a valid ${expected}`, type: `${expected}_type` };
  }
}

/** Deepest input echoed back as-is; deeper (e.g. 100k nested arrays) would overflow the serialiser. */
const maxEchoDepth = 32;

/** The offending input as pydantic echoes it, or a short note when it is too deeply nested to. */
function echoable(value: unknown): unknown {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > maxEchoDepth) return `[input nested deeper than ${maxEchoDepth} levels]`;
    const next: unknown[] = [];
    for (const item of level)
      if (item !== null && typeof item === "object") next.push(...Object.values(item as object));
    level = next;
  }
  return value;
}

function valueAt(raw: unknown, path: Array<string | number>): unknown {
  let current = raw;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** The JSON body could not be parsed (FastAPI's `json_invalid`). */
export function jsonInvalid(reason: string): ErrorAnswer {
  return validationError([
    { loc: ["body", 0], msg: "JSON decode error", type: "json_invalid", ctx: { error: reason } },
  ]);
}

export function missingBody(): ErrorAnswer {
  return validationError([{ loc: ["body"], msg: "Field required", type: "missing", input: null }]);
}

const rateLimitText = "Too many requests. Please slow down.";

/** The answer fal's gateway gives for a fault that short-circuits the request. */
export function faultAnswer(fault: Fault): SimResponse {
  switch (fault.kind) {
    case "auth-failure":
      return withRequestId(unauthorized());
    case "rate-limit":
      return withRequestId(detail(429, rateLimitText, { "retry-after": String(fault.retryAfterSeconds) }));
    case "outage":
      return withRequestId(answer(infraError("runner_scheduling_failure")));
    case "error":
      return withRequestId(statusAnswer(fault.status, fault.message));
    case "flaky":
      return withRequestId(statusAnswer(fault.status ?? 503));
    default:
      return withRequestId(answer(infraError("internal_error")));
  }
}

function statusAnswer(status: number, text?: string): SimResponse {
  switch (status) {
    case 401:
      return text ? detail(401, text) : unauthorized();
    case 403:
      return text ? detail(403, text) : exhaustedBalance();
    case 404:
      return detail(404, text ?? "Not Found");
    case 422:
      return answer(validationError([{ loc: ["body"], msg: text ?? "Invalid input", type: "value_error" }]));
    case 429:
      return detail(429, text ?? rateLimitText, { "retry-after": "1" });
    case 502:
      return answer(infraError("runner_incomplete_response", text));
    case 503:
      return answer(infraError("runner_scheduling_failure", text));
    case 504:
      return answer(infraError("request_timeout", text));
    default:
      if (status >= 500) return answer({ ...infraError("internal_error", text), status });
      return detail(status, text ?? "Error");
  }
}
