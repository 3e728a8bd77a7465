/**
 * 1min.ai's documented limit: 180 requests a minute per key, counted over a sliding minute on
 * the namespace clock (by the engine, across replicas on a shared store). Configurable per
 * namespace with the setting `onemin.rateLimitPerMinute` ("0" turns it off, e.g. for benchmarks).
 */
import type { RateLimit } from "../../engine/limits.ts";
import type { NamespaceState } from "../../engine/provider.ts";
import type { SimRequest } from "../../engine/sim-http.ts";
import { message, requestsPerMinute } from "./answers.ts";

const windowMs = 60_000;

export const rateLimitSetting = "onemin.rateLimitPerMinute";

function limitOf(ns: NamespaceState): number {
  const configured = ns.settings.get(rateLimitSetting);
  if (configured === undefined) return requestsPerMinute;
  const value = Number(configured);
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : requestsPerMinute;
}

/** The limit every API route declares: per API key, answered 429 with Retry-After when over. */
export function perKeyRateLimit(req: SimRequest, ns: NamespaceState): RateLimit {
  const limit = limitOf(ns);
  return {
    key: req.headers["api-key"] ?? "",
    limit,
    windowMs,
    refuse: (retryAfter) =>
      message(429, `Too many requests. Limit is ${limit} requests per minute.`, {
        "retry-after": String(retryAfter),
      }),
  };
}
