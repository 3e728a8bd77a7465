/**
 * Cross-site requests to the admin API. A web page can send a "simple" request to any address
 * without asking first (a form post, or `fetch` with `mode: "no-cors"` and a text/plain body);
 * it cannot read the answer, but the request still runs. So every write must come from the
 * server's own origin, and must be declared JSON, which a page on another origin can only send
 * after a preflight, which is refused here. Reads need no origin check (no CORS headers: a
 * foreign page cannot read them), but cross-site embedding (an `<img>` of an uploaded file) is
 * refused too; following a link to the dashboard is not.
 */
import type { IncomingMessage } from "node:http";

const readMethods = new Set(["GET", "HEAD"]);

/** The 403 or 415 a request to /__admin gets before anything else, or undefined when it may go on. */
export function adminRefusal(req: IncomingMessage): { status: number; error: string } | undefined {
  const method = req.method ?? "GET";
  const origin = req.headers.origin;
  if (method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
    return forbidden(
      `a page on ${origin ?? "another origin"} asked to call it (a CORS preflight); only the dashboard on the server's own origin may.`,
    );
  }
  if (req.headers["sec-fetch-site"] === "cross-site" && !isNavigation(req)) {
    return forbidden("the browser says a page on another site sent it (Sec-Fetch-Site: cross-site).");
  }
  if (readMethods.has(method)) return undefined;
  if (origin !== undefined && origin !== ownOrigin(req)) {
    return forbidden(
      `it comes from a page on ${origin.slice(0, 200)}, not from this server's own origin ${ownOrigin(req) ?? "(no Host)"}.`,
    );
  }
  if (!declaresJson(req)) {
    return {
      status: 415,
      error:
        "Refused: an admin write's body must be JSON, sent with content-type: application/json (a browser page on another origin cannot send that without a preflight, which is refused).",
    };
  }
  return undefined;
}

const forbidden = (why: string) => ({
  status: 403,
  error: `Refused: the admin API changes the simulator's state and answers only the server's own pages and non-browser clients, and this request is cross-site: ${why}`,
});

/** A top-level page load (a link to the dashboard), which can neither read nor write anything. */
function isNavigation(req: IncomingMessage): boolean {
  return (
    readMethods.has(req.method ?? "GET") &&
    req.headers["sec-fetch-mode"] === "navigate" &&
    req.headers["sec-fetch-dest"] === "document"
  );
}

/** `http://<Host>`, normalised as browsers write an Origin (lower case, no default port). */
function ownOrigin(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (!host || !URL.canParse(`http://${host}`)) return undefined;
  return new URL(`http://${host}`).origin;
}

/** No body and no declared type, or a body declared `application/json` (parameters allowed). */
function declaresJson(req: IncomingMessage): boolean {
  const type = req.headers["content-type"];
  if (type === undefined) return !hasBody(req);
  return type.split(";")[0]!.trim().toLowerCase() === "application/json";
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}
