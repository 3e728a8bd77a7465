/**
 * The admin API under /__admin: health, scenarios, journal, tasks (list, inspect, force a state),
 * webhooks, clock, settings, reset, result files, and the dashboard page. JSON in, JSON out.
 * Same-origin only (no CORS headers); a token when one is configured. This file guards and
 * dispatches; the routes themselves are in admin-routes.ts and admin-views.ts.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Simulator } from "../engine/simulator.ts";
import type { ProxyInfo } from "../proxy/proxy.ts";
import { adminRefusal } from "./admin-guard.ts";
import { type Answer, adminRoutes, fail } from "./admin-routes.ts";
import { viewRoute } from "./admin-views.ts";
import { dashboardFile, dashboardHeaders } from "./dashboard.ts";

export interface AdminContext {
  simulator: Simulator;
  path: string;
  query: string;
  adminToken: string | undefined;
  server: {
    url: string;
    urls: Record<string, string>;
    providerPorts: Array<{ provider: string; url: string }>;
    proxy?: ProxyInfo;
  };
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: AdminContext,
): Promise<void> {
  const answer = await route(req, ctx);
  // Every /__admin answer carries the dashboard's policy: nothing here may be framed, and a
  // JSON answer opened as a page runs nothing.
  const headers = { "cache-control": "no-store", "x-content-type-options": "nosniff", ...dashboardHeaders };
  if (answer.raw) {
    res.writeHead(answer.status, { "content-type": answer.type ?? "application/octet-stream", ...headers });
    res.end(answer.raw);
    return;
  }
  res.writeHead(answer.status, { "content-type": answer.type ?? "application/json", ...headers });
  res.end(answer.text ?? JSON.stringify(answer.body));
}

function authorised(req: IncomingMessage, token: string | undefined, query: URLSearchParams): boolean {
  if (!token) return true;
  const given =
    (req.headers["x-admin-token"] as string | undefined) ??
    req.headers.authorization?.replace(/^Bearer\s+/i, "") ??
    query.get("token") ??
    "";
  // Both sides are hashed first, so the comparison takes the same time whatever the length or
  // content of the guess (a length check before timingSafeEqual would leak the token's length).
  return timingSafeEqual(digest(given), digest(token));
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** The guards every admin call passes, in order; the first refusal (or the page) is the answer. */
function guard(req: IncomingMessage, ctx: AdminContext, sub: string, query: URLSearchParams) {
  // Before the token: a cross-site write is refused even when no token is set.
  const refusal = adminRefusal(req);
  if (refusal) return fail(refusal.status, refusal.error);
  const page = (req.method ?? "GET") === "GET" ? dashboardFile(sub) : undefined;
  // The page and its files are harmless; every data call the page makes carries the token.
  if (page) return { status: 200, body: null, text: page.text, type: page.type };
  if (!authorised(req, ctx.adminToken, query)) {
    return fail(
      401,
      "Failed to authorise the admin request: send the admin token in x-admin-token. Start the server with --admin-token to set it.",
    );
  }
  return undefined;
}

async function route(req: IncomingMessage, ctx: AdminContext): Promise<Answer> {
  const { simulator } = ctx;
  const query = new URLSearchParams(ctx.query);
  const method = req.method ?? "GET";
  const sub = ctx.path.replace(/^\/__admin\/?/, "").replace(/\/$/, "");
  const refused = guard(req, ctx, sub, query);
  if (refused) return refused;
  const [head, id, action] = sub.split("/");
  // `tasks/abc/state` is looked up as `tasks/:id/state`.
  const routeKey = `${head ?? ""}${action ? `/:id/${action}` : id ? "/:id" : ""}`;
  const view =
    method === "GET" ? await viewRoute(routeKey, id, { simulator, query, server: ctx.server }) : undefined;
  if (view) return view;
  const answer = adminRoutes.get(`${method} ${routeKey}`);
  if (!answer) return fail(404, `Unknown admin route ${method} /__admin/${sub}. See README "Admin API".`);
  return answer({ req, ctx, simulator, query, namespace: query.get("namespace") ?? "default", id });
}
