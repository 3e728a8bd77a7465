/**
 * What a fuzz case is: a transport-neutral wire request (method, raw path, query, headers, body
 * bytes) with its class and what the answer must be, and the placeholders for what only exists
 * on a running simulator.
 */
import type { SpecOperation } from "./fuzz-spec.ts";
import type { Binary } from "./schema-arbitrary.ts";

export const fuzzKey = "fuzz-key-1";

/**
 * What valid requests point at. Images are bytes; everything that lives on the simulator (ids,
 * uploaded files, result URLs) is a placeholder the runner fills in when it sends the request,
 * so the simulator's bounded stores can be refilled mid-run without changing the cases.
 */
export interface CaseInputs {
  images: Binary[];
  /** Junk, truncated, wrong magic bytes, decompression bombs. */
  badImages: Binary[];
  /** A loopback webhook receiver, when the transport has one. */
  webhookUrl?: string;
}

/** Placeholders for what only exists on a running simulator (see `LiveFixtures`). */
export const ref = {
  falFileUrl: "__FAL_FILE_URL__",
  freepikResultUrl: "__FREEPIK_RESULT_URL__",
  oneminAsset: "__ONEMIN_ASSET__",
  id: (pool: string, index: number) => `__ID_${pool}_${index}__`,
};

/** How many existing ids each pool holds (see fuzz-run.ts `prepareFixtures`). */
export const poolSizes: Record<string, number> = {
  fal: 2,
  chainhub: 1,
  "freepik-creative": 2,
  "freepik-precision": 1,
  "freepik-precision-v2": 1,
};

export type CaseClass =
  | "valid"
  | "invalid-body"
  | "bad-json"
  | "bad-image"
  | "wrong-content-type"
  | "malformed-multipart"
  | "missing-header"
  | "junk-id"
  | "odd-query";

export interface WireRequest {
  method: string;
  /** Raw path, parameters percent-encoded, e.g. `/v1/ai/image-upscaler/abc`. */
  path: string;
  query: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What the answer must be when no scenario is in force (scenarios only relax it). */
export type Expectation = { statuses: number[] } | { range: "2xx" | "4xx" } | { lenient: true };

export interface FuzzCase {
  op: SpecOperation;
  host: string;
  klass: CaseClass;
  /** Why the request is what it is (the broken field, the mangling). */
  why: string;
  auth: "good" | "wrong";
  scenario?: string;
  wire: WireRequest;
  expect: Expectation;
}

/** Scenario presets a fuzz request may carry: each answers with a declared status, none hangs. */
export const fuzzScenarios = [
  "flaky",
  "outage",
  "rate-limited",
  "auth-failure",
  "task-failure",
  "no-credit",
  "webhook-chaos",
  "expired-urls",
  "flaky,rate-limited",
];

/** Which pool of existing ids a path parameter of an operation draws from. */
export function idPool(op: SpecOperation): string | undefined {
  if (op.provider === "fal" && op.parameters.some((p) => p.name === "request_id")) return "fal";
  if (op.provider === "chainhub" && op.operationId === "getUpscaleTask") return "chainhub";
  if (op.operationId === "getUpscale") return "freepik-creative";
  if (op.operationId === "getPrecisionUpscale") return "freepik-precision";
  if (op.operationId === "getPrecisionV2Upscale") return "freepik-precision-v2";
  return undefined;
}

/** Answers a request to an existing id may get (results not ready, runs already cancelled). */
export function knownIdStatuses(op: SpecOperation): number[] {
  if (op.operationId.startsWith("getRequestResult")) return [200, 400];
  if (op.operationId.startsWith("cancelRequest")) return [202, 400];
  return [200];
}
