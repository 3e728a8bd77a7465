/**
 * CORS for the provider routes (not /__admin), so a page can call the server cross-origin: the
 * browser MSW handlers (mocks/msw-browser.ts) forward to it, and pages fetch the result URLs it
 * hands back. Header objects are built once; per request only the answer's headers are copied.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Provider headers a page must be able to read (beyond the CORS-safelisted ones). */
const exposedHeaders = [
  "retry-after",
  "location",
  "content-disposition",
  "etag",
  "x-fal-request-id",
  "x-fal-retryable",
  "x-fal-error-type",
  "x-mock-error",
  "x-mock-input",
  "sl-violations",
].join(", ");

/** Added to every provider answer (merged into the copy writeSimResponse makes of its headers). */
export const corsHeaders: Readonly<Record<string, string>> = Object.freeze({
  "access-control-allow-origin": "*",
  "access-control-expose-headers": exposedHeaders,
});

const preflightHeaders: Readonly<Record<string, string>> = Object.freeze({
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
  "access-control-max-age": "600",
  vary: "origin, access-control-request-headers, access-control-request-private-network",
});

/** Answers a CORS preflight with 204 and returns true; returns false for any other request. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "OPTIONS" || req.headers["access-control-request-method"] === undefined) return false;
  const requested = req.headers["access-control-request-headers"];
  // Chrome's Private Network Access asks before a page on a LAN address calls loopback.
  const privateNetwork = req.headers["access-control-request-private-network"] === "true";
  res.writeHead(
    204,
    requested || privateNetwork
      ? {
          ...preflightHeaders,
          ...(requested ? { "access-control-allow-headers": requested } : {}),
          ...(privateNetwork ? { "access-control-allow-private-network": "true" } : {}),
        }
      : preflightHeaders,
  );
  res.end();
  return true;
}
