/**
 * One journaled exchange as the dashboard's detail view shows it: headers (credentials as
 * fingerprints), readable previews of both bodies, images as images, the faults applied, and
 * whether the answer is valid against the provider's spec. The spec check loads the specs and
 * ajv on first use, when someone opens a detail, never while requests are answered.
 */

import type { SpecConformance } from "../../scripts/lib/spec-conformance.ts";
import { sniffedContentType } from "../engine/images.ts";
import type { JournalExchange } from "../engine/journal.ts";
import type { SimBody } from "../engine/sim-http.ts";

export interface BodyPreview {
  size: number;
  contentType: string;
  /** `gone`: no longer kept by the journal. */
  kind: "empty" | "json" | "text" | "image" | "binary" | "stream" | "gone";
  text?: string;
  truncated?: boolean;
  /** Images found in the body (the body itself, or base64 fields of a JSON body) as data URLs. */
  images?: Array<{ where: string; src: string }>;
}

const previewChars = 16 * 1024;
/** Images up to this size are shown; larger ones only named. */
const maxImageBytes = 4 * 1024 * 1024;
const decoder = new TextDecoder();

let conformance: Promise<SpecConformance | undefined> | undefined;

export async function exchangeDetail(exchange: JournalExchange, namespace: string, url: string) {
  const { entry, response } = exchange;
  const requestType = entry.headers["content-type"] ?? "";
  return {
    seq: entry.seq,
    namespace,
    provider: entry.provider,
    operation: entry.operation,
    method: entry.method,
    url,
    time: new Date(entry.time).toISOString(),
    durationMs: entry.durationMs,
    status: entry.status,
    faults: entry.faults,
    ...(entry.notes ? { notes: entry.notes } : {}),
    ...(entry.taskId ? { taskId: entry.taskId } : {}),
    request: {
      headers: entry.headers,
      body: exchange.requestBody
        ? previewBytes(exchange.requestBody.bytes, requestType, entry.requestBytes)
        : gone(entry.requestBytes, requestType),
    },
    response: {
      headers: response.headers,
      body: response.body
        ? previewBody(response.body, response.headers["content-type"] ?? "", response.size)
        : gone(response.size, response.headers["content-type"] ?? ""),
    },
    validation: await validation(exchange),
  };
}

const gone = (size: number, contentType: string): BodyPreview => ({ size, contentType, kind: "gone" });

function previewBody(body: SimBody, contentType: string, size: number): BodyPreview {
  switch (body.kind) {
    case "json":
      return jsonPreview(body.value, contentType, size);
    case "text":
      return { size, contentType, kind: "text", ...cut(body.value) };
    case "bytes":
      return previewBytes(body.value, contentType, size);
    case "stream":
      return { size, contentType, kind: "stream" };
    case "empty":
      return { size: 0, contentType, kind: "empty" };
  }
}

function previewBytes(bytes: Uint8Array, contentType: string, size: number): BodyPreview {
  if (size === 0) return { size, contentType, kind: "empty" };
  const sniffed = sniffedContentType(bytes, "");
  if (sniffed) {
    const images = bytes.byteLength <= maxImageBytes ? [{ where: "body", src: dataUrl(sniffed, bytes) }] : [];
    return { size, contentType: contentType || sniffed, kind: "image", images };
  }
  if (/json/i.test(contentType)) {
    try {
      return jsonPreview(JSON.parse(decoder.decode(bytes)), contentType, size);
    } catch {}
  }
  if (/json|text|xml|form-urlencoded|multipart/i.test(contentType))
    return {
      size,
      contentType,
      kind: "text",
      ...cut(printable(decoder.decode(bytes.subarray(0, previewChars)))),
    };
  return { size, contentType, kind: "binary" };
}

/** Pretty JSON with long strings shortened; base64 images among its strings shown as images. */
function jsonPreview(value: unknown, contentType: string, size: number): BodyPreview {
  const images: Array<{ where: string; src: string }> = [];
  const text = JSON.stringify(
    value,
    function shorten(this: unknown, key, inner) {
      if (typeof inner !== "string" || inner.length <= 200) return inner;
      const image = base64Image(inner);
      if (image && images.length < 4) images.push({ where: key || "body", src: image });
      return `${inner.slice(0, 60)}… (${inner.length} characters)`;
    },
    2,
  );
  return { size, contentType, kind: "json", ...cut(text ?? ""), ...(images.length ? { images } : {}) };
}

function base64Image(text: string): string | undefined {
  const match = /^data:(image\/[a-z+.-]+);base64,/i.exec(text);
  const payload = match ? text.slice(match[0].length) : text;
  if (payload.length > (maxImageBytes * 4) / 3 || !/^[A-Za-z0-9+/=\s]+$/.test(payload.slice(0, 64)))
    return undefined;
  const bytes = Buffer.from(payload, "base64");
  const type = sniffedContentType(bytes, "");
  return type ? dataUrl(type, bytes) : undefined;
}

const dataUrl = (type: string, bytes: Uint8Array) =>
  `data:${type};base64,${Buffer.from(bytes).toString("base64")}`;

function cut(text: string): { text: string; truncated?: true } {
  return text.length <= previewChars ? { text } : { text: text.slice(0, previewChars), truncated: true };
}

/** Multipart bodies carry binary parts: show their text, not their bytes. */
function printable(text: string): string {
  return text.replace(/[^\t\n\r\x20-\x7e\u00a0-\uffff]+/g, "·").replace(/\ufffd+/g, "·");
}

async function validation(exchange: JournalExchange) {
  const { entry, response } = exchange;
  if (entry.status === 0) return { checked: false, note: "No HTTP answer was sent (a transport fault)." };
  if (!response.body && response.size !== 0)
    return { checked: false, note: "The answer's body is no longer kept, so it cannot be checked." };
  // ajv, ajv-formats and yaml are development tools of this package, not its dependencies.
  conformance ??= import("../../scripts/lib/spec-conformance.ts")
    .then((module) => new module.SpecConformance())
    .catch(() => undefined);
  const spec = await conformance;
  if (!spec)
    return { checked: false, note: "Install ajv, ajv-formats and yaml to check answers against the specs." };
  const provider = entry.provider;
  if (!spec.find(provider, entry.operation))
    return { checked: false, note: `No spec describes ${entry.provider} ${entry.operation}.` };
  const problems = spec.check(provider, entry.operation, {
    status: entry.status,
    headers: response.headers,
    body: response.body ?? { kind: "empty" },
  });
  return { checked: true, valid: problems.length === 0, problems };
}
