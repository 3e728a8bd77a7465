/**
 * 1min.ai's documented limit: 180 requests a minute per key, counted over a sliding minute on
 * the namespace clock. Configurable per namespace with the setting `onemin.rateLimitPerMinute`
 * ("0" turns it off, e.g. for benchmarks).
 */
import type { RouteContext } from "../../engine/provider.ts";
import type { SimResponse } from "../../engine/sim-http.ts";
import { message, requestsPerMinute } from "./answers.ts";

const windowMs = 60_000;
/** Distinct keys remembered per namespace (oldest forgotten first). */
const maxKeys = 1_000;

const stateKey = "onemin.rateLimitWindows";

export const rateLimitSetting = "onemin.rateLimitPerMinute";

function limitOf(ctx: RouteContext): number {
  const configured = ctx.ns.settings.get(rateLimitSetting);
  if (configured === undefined) return requestsPerMinute;
  const value = Number(configured);
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : requestsPerMinute;
}

/** Counts this request; answers 429 with Retry-After when the key is over its limit. */
export function checkRateLimit(ctx: RouteContext): SimResponse | undefined {
  const limit = limitOf(ctx);
  if (limit === 0) return undefined;
  let byKey = ctx.ns.providerState.get(stateKey) as Map<string, number[]> | undefined;
  if (!byKey) {
    byKey = new Map();
    ctx.ns.providerState.set(stateKey, byKey);
  }
  const key = ctx.req.headers["api-key"] ?? "";
  const now = ctx.ns.clock.now();
  const times = (byKey.get(key) ?? []).filter((t) => t > now - windowMs);
  byKey.delete(key);
  byKey.set(key, times);
  if (byKey.size > maxKeys) byKey.delete(byKey.keys().next().value as string);
  if (times.length >= limit) {
    const retryAfter = Math.max(1, Math.ceil((times[0]! + windowMs - now) / 1000));
    return message(429, `Too many requests. Limit is ${limit} requests per minute.`, {
      "retry-after": String(retryAfter),
    });
  }
  times.push(now);
  return undefined;
}
