/**
 * The journal as an HTTP Archive (HAR 1.2), the format browser devtools, Insomnia, Charles and
 * many test tools import. Credentials appear as the journal shows them (fingerprints); bodies
 * over `maxBodyBytes` are cut, their real size kept in `size`/`bodySize`.
 */
import { readFileSync } from "node:fs";
import { STATUS_CODES } from "node:http";
import { join } from "node:path";
import { packageRoot } from "../../src/package-root.ts";
import type { JournalExchange } from "../engine/journal.ts";
import type { SimBody } from "../engine/sim-http.ts";

export type NamespacedExchange = JournalExchange & { namespace: string };

type NameValue = { name: string; value: string };

let version: string | undefined;
function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string })
    .version;
  return version;
}

/** `urlOf` gives the URL an exchange was served at; bodies over `max` bytes are cut. */
export function toHar(
  exchanges: NamespacedExchange[],
  urlOf: (exchange: NamespacedExchange) => string,
  max = 64 * 1024,
) {
  return {
    log: {
      version: "1.2",
      creator: { name: "upscale-harness", version: packageVersion() },
      pages: [],
      entries: exchanges.map((exchange) => harEntry(exchange, urlOf(exchange), max)),
    },
  };
}

function harEntry(exchange: NamespacedExchange, url: string, max: number) {
  const { entry } = exchange;
  const time = Math.max(0, entry.durationMs);
  return {
    startedDateTime: new Date(entry.time - time).toISOString(),
    time,
    request: {
      method: entry.method,
      url,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: pairs(entry.headers),
      queryString: [...new URLSearchParams(exchange.query)].map(([name, value]) => ({ name, value })),
      ...(entry.requestBytes > 0 ? { postData: postData(exchange, max) } : {}),
      headersSize: -1,
      bodySize: entry.requestBytes,
    },
    response: {
      status: entry.status,
      statusText: entry.status === 0 ? "" : (STATUS_CODES[entry.status] ?? ""),
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: pairs(exchange.response.headers),
      content: content(exchange, max),
      redirectURL: exchange.response.headers.location ?? "",
      headersSize: -1,
      bodySize: exchange.response.size,
      ...(entry.status === 0 ? { comment: `No HTTP answer: ${entry.faults.join(", ")}` } : {}),
    },
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
    _namespace: exchange.namespace,
    _provider: entry.provider,
    _operation: entry.operation,
    _faults: entry.faults,
    ...(entry.notes ? { _notes: entry.notes } : {}),
    ...(entry.taskId ? { _taskId: entry.taskId } : {}),
  };
}

function pairs(headers: Record<string, string>): NameValue[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

const texty = /json|text|xml|x-www-form-urlencoded|javascript/i;
const decoder = new TextDecoder();

function postData(exchange: NamespacedExchange, max: number) {
  const mimeType = exchange.entry.headers["content-type"] ?? "application/octet-stream";
  const kept = exchange.requestBody;
  const size = exchange.entry.requestBytes;
  if (!kept) return { mimeType, text: "", comment: `Body of ${size} bytes no longer kept.` };
  if (!texty.test(mimeType))
    return { mimeType, text: "", comment: `Binary body of ${size} bytes, not included.` };
  const shown = kept.bytes.subarray(0, max);
  const text = decoder.decode(shown);
  return shown.byteLength < size
    ? { mimeType, text, comment: `Truncated to ${shown.byteLength} of ${size} bytes.` }
    : { mimeType, text };
}

function content(exchange: NamespacedExchange, max: number) {
  const { size, body, headers } = exchange.response;
  const mimeType = headers["content-type"] ?? (size > 0 ? "application/octet-stream" : "x-unknown");
  const base = { size, mimeType };
  if (!body) return size === 0 ? base : { ...base, comment: "Body no longer kept." };
  return { ...base, ...bodyText(body, size, max) };
}

function bodyText(body: SimBody, size: number, max: number) {
  switch (body.kind) {
    case "json":
    case "text": {
      const text = body.kind === "json" ? JSON.stringify(body.value) : body.value;
      return text.length <= max
        ? { text }
        : { text: text.slice(0, max), comment: `Truncated to its first ${max} characters of ${size} bytes.` };
    }
    case "bytes":
      return body.value.byteLength <= max
        ? { text: Buffer.from(body.value).toString("base64"), encoding: "base64" }
        : { comment: `Binary body of ${size} bytes, not included (over ${max} bytes).` };
    case "stream":
      return { comment: "Streamed body, not recorded." };
    case "empty":
      return {};
  }
}
