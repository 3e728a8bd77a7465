/**
 * How a non-2xx answer becomes one of the client's typed errors, in the form "Failed to X:
 * reason. Do Y.". Adapters handle their provider's special cases first and fall back on this.
 */
import {
  ApiError,
  AuthError,
  type FieldError,
  InsufficientCreditError,
  RateLimitError,
  ValidationError,
} from "./errors.ts";
import type { ErrorContext } from "./http.ts";
import { describe } from "./url-policy.ts";

export interface ErrorWords {
  /** The provider's own message, if it gave one. */
  message?: string;
  fieldErrors?: FieldError[];
}

/**
 * The common mapping of an HTTP error to the hierarchy; adapters handle their special cases
 * (an exhausted balance answered as 403, a safety check answered as 422) and fall back on this.
 */
export function classifyHttpError(ctx: ErrorContext, words: ErrorWords = {}): ApiError {
  const { provider, operation, status } = ctx;
  const said = words.message ? ` (${provider} says: ${truncate(words.message)})` : "";
  const base = {
    provider,
    status,
    body: ctx.body,
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
  };
  const failed = `Failed to ${operation} on ${provider}`;
  if (status === 401 || status === 403) {
    return new AuthError(
      `${failed}: the API key was ${status === 401 ? "refused" : "not allowed to do this"}${said}. Check ${ctx.keyHint}.`,
      base,
    );
  }
  if (status === 402) {
    return new InsufficientCreditError(
      `${failed}: the account is out of credit${said}. Top up the ${provider} account, or use another provider.`,
      base,
    );
  }
  if (status === 429) {
    const wait = ctx.retryAfterMs !== undefined ? ` for ${Math.ceil(ctx.retryAfterMs / 1000)} s` : "";
    return new RateLimitError(
      `${failed}: rate limited${said}. Wait${wait || " a moment"} and retry, or send fewer requests at once.`,
      { ...base, ...(ctx.retryAfterMs !== undefined ? { retryAfterMs: ctx.retryAfterMs } : {}) },
    );
  }
  if (status === 400 || status === 413 || status === 422) {
    const fields = words.fieldErrors?.length
      ? ` Fields: ${words.fieldErrors.map((f) => `${f.field}: ${truncate(f.message, 80)}`).join("; ")}.`
      : "";
    return new ValidationError(
      `${failed}: the request was refused as invalid${said}.${fields} Fix the input or options and try again.`,
      { ...base, fieldErrors: words.fieldErrors ?? [] },
    );
  }
  if (status === 404) {
    return new ApiError(
      `${failed}: not found${said}. Check the task id and that it belongs to this account and endpoint.`,
      { ...base, retryable: false },
    );
  }
  if (status >= 300 && status < 400) {
    const location = ctx.headers.get("location");
    return new ApiError(
      `${failed}: the provider answered a ${status} redirect${location ? ` to ${describe(location.split("?")[0]!)}` : ""}${said}. It is not followed, so the API key stays on the configured origin; check the base URL.`,
      { ...base, retryable: false },
    );
  }
  if (status >= 500) {
    return new ApiError(
      `${failed}: the provider answered ${status}${said}. It is having trouble; retry later or use another provider.`,
      base,
    );
  }
  return new ApiError(`${failed}: unexpected status ${status}${said}. Check the request.`, base);
}

export function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
