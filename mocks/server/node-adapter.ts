/**
 * node:http ⇄ SimRequest/SimResponse. The hot path: no Fetch objects, one buffer per body,
 * headers copied as node already lower-cases them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../../src/core/clock.ts";
import type { SimRequest, SimResponse } from "../engine/sim-http.ts";

/**
 * How a slow body is paced: a chunk every `slowBodyTickMs` on the namespace's clock, sized for
 * the rate. Shared with the MSW transport (this module loads nothing from node at run time).
 */
export const slowBodyTickMs = 100;

export function slowBodyChunkBytes(bytesPerSecond: number): number {
  return Math.max(1, Math.floor(bytesPerSecond / (1000 / slowBodyTickMs)));
}

export type BodyResult =
  | { ok: true; body: Uint8Array }
  | { ok: false; reason: "too-large" | "aborted" | "timeout" };

/**
 * Reads the body, stopping (without buffering the rest) as soon as it passes `maxBytes`. With
 * `idleMs`, a body that stalls for that long (no byte arrives) ends the connection: `timeout`.
 */
export function readBody(req: IncomingMessage, maxBytes: number, idleMs?: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (declared > maxBytes) {
    req.resume();
    return Promise.resolve({ ok: false, reason: "too-large" });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      resolve(result);
    };
    const arm = () => {
      if (!idleMs) return;
      clearTimeout(idle);
      idle = setTimeout(() => {
        finish({ ok: false, reason: "timeout" });
        req.socket?.destroy();
      }, idleMs);
      idle.unref();
    };
    arm();
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.resume();
        finish({ ok: false, reason: "too-large" });
        return;
      }
      chunks.push(chunk);
      arm();
    });
    req.on("end", () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      finish({ ok: true, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) });
    });
    req.on("error", () => finish({ ok: false, reason: "aborted" }));
    req.on("aborted", () => finish({ ok: false, reason: "aborted" }));
    req.on("close", () => finish({ ok: false, reason: "aborted" }));
  });
}

export function toSimRequest(
  req: IncomingMessage,
  path: string,
  query: string,
  body: Uint8Array,
): SimRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers))
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  return { method: req.method ?? "GET", path, query: new URLSearchParams(query), headers, body };
}

/**
 * Writes an answer, including the transport-level faults (reset, hang, slow body) and SSE streams.
 * `extraHeaders` (the transport's own, e.g. CORS) are merged over the answer's in the one copy
 * made of them. `clockOf` is asked only for a slow body, so the hot path looks nothing up.
 */
export async function writeSimResponse(
  res: ServerResponse,
  answer: SimResponse,
  clockOf: () => Clock,
  extraHeaders?: Readonly<Record<string, string>>,
): Promise<void> {
  if (answer.transport?.kind === "reset") {
    res.socket?.destroy();
    return;
  }
  if (answer.transport?.kind === "hang") {
    // Nothing is answered; the socket closes when the client gives up or the server shuts down.
    await new Promise<void>((resolve) => res.once("close", () => resolve()));
    return;
  }
  const { body } = answer;
  if (body.kind === "stream") {
    res.writeHead(answer.status, {
      ...answer.headers,
      ...extraHeaders,
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.flushHeaders();
    const iterator = body.chunks[Symbol.asyncIterator]();
    const stop = () => void iterator.return?.();
    res.once("close", stop);
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        if (res.destroyed) break;
        res.write(next.value);
      }
    } finally {
      res.off("close", stop);
      res.end();
    }
    return;
  }
  const payload =
    body.kind === "json"
      ? Buffer.from(JSON.stringify(body.value))
      : body.kind === "text"
        ? Buffer.from(body.value)
        : body.kind === "bytes"
          ? Buffer.from(body.value.buffer, body.value.byteOffset, body.value.byteLength)
          : undefined;
  if (answer.transport?.kind === "slow" && payload) {
    res.writeHead(answer.status, {
      ...answer.headers,
      ...extraHeaders,
      "content-length": String(payload.length),
    });
    const chunk = slowBodyChunkBytes(answer.transport.bytesPerSecond);
    const clock = clockOf();
    for (let offset = 0; offset < payload.length && !res.destroyed; offset += chunk) {
      await clock.sleep(slowBodyTickMs);
      res.write(payload.subarray(offset, offset + chunk));
    }
    res.end();
    return;
  }
  const headers = payload
    ? { ...answer.headers, ...extraHeaders, "content-length": String(payload.length) }
    : extraHeaders
      ? { ...answer.headers, ...extraHeaders }
      : answer.headers;
  res.writeHead(answer.status, headers);
  res.end(payload);
}
