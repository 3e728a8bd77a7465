/**
 * One provider request, once its provider, host and real path are known, from the node:http
 * request to the simulator's answer on the wire: body limits while streaming, the namespace,
 * dispatch, the answer (faults included) and the log line. Shared by the server's listeners and
 * the HTTPS proxy, which differ only in how they locate a request and which URLs they hand back.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ProviderId } from "../engine/faults.ts";
import { redactQuery } from "../engine/journal.ts";
import { type Dispatch, harnessErrorHeader, type Simulator } from "../engine/simulator.ts";
import { StoreUnavailableError } from "../engine/store/state-store.ts";
import { namespaceHeader } from "../provider-hosts.ts";
import type { Located } from "./address-map.ts";
import { corsHeaders } from "./cors.ts";
import { readBody, toSimRequest, writeSimResponse } from "./node-adapter.ts";

export interface ServeContext {
  simulator: Simulator;
  /** Longest pause between two body chunks before the connection is closed. */
  bodyIdleMs: number;
  log?: ((line: string) => void) | undefined;
}

export interface SimulatedTarget {
  located: Located;
  /** The query string, without `?`. */
  query: string;
  /** The URL a client should call for (host, real path) of the located provider. */
  url: Dispatch["url"];
  resolveOwn: Dispatch["resolveOwn"];
}

export async function serveSimulated(
  ctx: ServeContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: SimulatedTarget,
  started: number,
): Promise<void> {
  const { simulator } = ctx;
  const here = target.located;
  const rawUrl = req.url ?? "/";
  const namespace = here.namespace ?? (req.headers[namespaceHeader] as string | undefined);
  const method = req.method ?? "GET";
  // Each route has its own limit (an upload route: the provider's file limit), so a body
  // over it is never buffered: reading stops as soon as it passes the limit.
  const match = simulator.route(here.provider, here.host, method, here.path);
  const limit = simulator.bodyLimit(match);
  const body = await readBody(req, limit, ctx.bodyIdleMs);
  const dispatch = (data: Uint8Array): Dispatch => ({
    provider: here.provider,
    host: here.host,
    req: toSimRequest(req, here.path, target.query, data),
    ...(namespace ? { namespace } : {}),
    url: target.url,
    resolveOwn: target.resolveOwn,
    ...(match ? { match } : {}),
  });
  // Only a slow body needs the namespace's clock; nothing else looks the namespace up again.
  const clockOf = () => simulator.namespace(namespace).clock;
  if (!body.ok) {
    if (body.reason !== "too-large") return;
    const refusal = simulator.refuseBody(dispatch(new Uint8Array()), limit);
    // The rest of the body is not buffered; the connection closes once the answer is out.
    res.setHeader("connection", "close");
    lingerThenClose(req);
    await writeSimResponse(res, refusal, clockOf, corsHeaders);
    ctx.log?.(logLine(namespace, here.provider, method, rawUrl, refusal.status, started));
    return;
  }
  const answer = await simulator.handle(dispatch(body.body));
  await writeSimResponse(res, answer, clockOf, corsHeaders);
  ctx.log?.(
    logLine(
      namespace,
      here.provider,
      method,
      rawUrl,
      answer.transport && answer.status === 0 ? answer.transport.kind : answer.status,
      started,
    ),
  );
}

/** A bug must not take the server down: log it and answer 500 (or end what was started). */
export function answerFailure(
  res: ServerResponse,
  error: unknown,
  rawUrl: string,
  log: ((line: string) => void) | undefined,
): void {
  log?.(JSON.stringify({ level: "error", path: rawUrl, error: (error as Error).stack ?? String(error) }));
  // A shared store that is away is the harness's trouble, not the provider's: a 503 that says so.
  const storeAway = error instanceof StoreUnavailableError;
  if (!res.headersSent)
    res.writeHead(storeAway ? 503 : 500, {
      "content-type": "application/json",
      ...(storeAway ? { "retry-after": "1", [harnessErrorHeader]: "store-unavailable" } : {}),
    });
  res.end(JSON.stringify({ error: `The simulator failed on this request: ${(error as Error).message}` }));
}

function logLine(
  namespace: string | undefined,
  provider: ProviderId,
  method: string,
  rawUrl: string,
  status: number | string,
  started: number,
): string {
  return JSON.stringify({
    level: "info",
    time: new Date().toISOString(),
    namespace: namespace ?? "default",
    provider,
    method,
    path: loggedUrl(rawUrl),
    status,
    ms: Math.round((performance.now() - started) * 10) / 10,
  });
}

/** After an early answer: how long and how much more of the body is discarded before closing. */
const linger = { ms: 1_000, bytes: 4 * 1024 * 1024 };

/**
 * Lingering close for a request answered before its body was read. Closing at once would reset
 * the connection while the client is still sending, and most clients then lose the answer (their
 * next write fails first). So the answer is sent, the sending side closed, and what still
 * arrives is discarded (never buffered) for at most `linger.ms` or `linger.bytes`.
 */
function lingerThenClose(req: IncomingMessage): void {
  const socket = req.socket;
  const close = () => socket.destroy();
  // node calls destroySoon() once a `connection: close` answer is written.
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(close, linger.ms);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
    let drained = 0;
    req.on("data", (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > linger.bytes) close();
    });
    req.once("end", close);
  };
}

/** The URL as logged: cut to 200 characters, credential-like query values as fingerprints. */
function loggedUrl(rawUrl: string): string {
  const at = rawUrl.indexOf("?");
  let url = rawUrl;
  if (at >= 0) {
    const query = new URLSearchParams(rawUrl.slice(at + 1));
    const redacted = redactQuery(query);
    if (redacted !== query) url = `${rawUrl.slice(0, at)}?${redacted}`;
  }
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}
