/**
 * Turning a short-circuit fault into a provider's answer. Which status each fault means is the
 * same everywhere (outage 503, auth failure 401, rate limit 429 with Retry-After); the body is
 * the provider's own, given as `error`.
 */
import type { Fault } from "../../engine/faults.ts";
import type { SimResponse } from "../../engine/sim-http.ts";

export interface NativeErrors {
  /** The provider's error answer for a status and message. */
  error(status: number, message: string, headers?: Record<string, string>): SimResponse;
  /** Its usual message per status. */
  messages: Partial<Record<number, string>>;
  /** Its 429 when that is not `error(429, …)` (Ideogram answers its in-flight body). */
  rateLimited?(headers: Record<string, string>): SimResponse;
}

export function answerFault(fault: Fault, native: NativeErrors): SimResponse {
  const text = (status: number) => native.messages[status] ?? "Error";
  switch (fault.kind) {
    case "rate-limit": {
      const headers = { "retry-after": String(fault.retryAfterSeconds) };
      return native.rateLimited ? native.rateLimited(headers) : native.error(429, text(429), headers);
    }
    case "outage":
      return native.error(503, text(503));
    case "auth-failure":
      return native.error(401, text(401));
    case "error":
      return native.error(fault.status, fault.message ?? text(fault.status));
    case "flaky":
      return native.error(fault.status ?? 503, text(fault.status ?? 503));
    default:
      return native.error(500, text(500));
  }
}
