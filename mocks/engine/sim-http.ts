/**
 * The small request/response type every simulator handler speaks. Transports (MSW, the node
 * server, Pact state setup) convert to and from it; handlers never see a transport's own types.
 */
export interface SimRequest {
  method: string;
  /** The provider's real path (no server prefix), e.g. `/v1/ai/image-upscaler/abc`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Uint8Array;
}

/** What a route answers. `stream` bodies are sent chunk by chunk (SSE). */
export type SimBody =
  | { kind: "json"; value: unknown }
  | { kind: "bytes"; value: Uint8Array }
  | { kind: "text"; value: string }
  | { kind: "stream"; chunks: AsyncIterable<string> }
  | { kind: "empty" };

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: SimBody;
  /**
   * Transport-level behaviour for faults that are not an HTTP answer: `reset` drops the
   * connection, `hang` never answers (until the client gives up), `slow` trickles the body.
   */
  transport?: { kind: "reset" } | { kind: "hang" } | { kind: "slow"; bytesPerSecond: number };
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: { kind: "json", value },
  };
}

export function bytes(
  status: number,
  value: Uint8Array,
  contentType: string,
  headers: Record<string, string> = {},
) {
  return {
    status,
    headers: { "content-type": contentType, ...headers },
    body: { kind: "bytes", value },
  } as SimResponse;
}

export function empty(status: number, headers: Record<string, string> = {}): SimResponse {
  return { status, headers, body: { kind: "empty" } };
}

export function text(
  status: number,
  value: string,
  contentType = "text/plain",
  headers: Record<string, string> = {},
): SimResponse {
  return { status, headers: { "content-type": contentType, ...headers }, body: { kind: "text", value } };
}

/** No answer at all: the request stays open until the client gives up. */
export function hang(): SimResponse {
  return { status: 0, headers: {}, body: { kind: "empty" }, transport: { kind: "hang" } };
}

/** No answer at all: the connection is dropped. */
export function reset(): SimResponse {
  return { status: 0, headers: {}, body: { kind: "empty" }, transport: { kind: "reset" } };
}

/** Serialises a body to bytes for transports that cannot stream (and for journals). */
export function bodyText(body: SimBody): string | undefined {
  switch (body.kind) {
    case "json":
      return JSON.stringify(body.value);
    case "text":
      return body.value;
    case "bytes":
      return undefined;
    case "stream":
      return undefined;
    case "empty":
      return "";
  }
}

const decoder = new TextDecoder();

/** Parses a JSON request body; returns `undefined` (never throws) when it is not JSON. */
export function parseJsonBody(req: SimRequest): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (req.body.byteLength === 0) return { ok: false, reason: "The request body is empty." };
  try {
    return { ok: true, value: JSON.parse(decoder.decode(req.body)) };
  } catch (error) {
    return { ok: false, reason: `The request body is not valid JSON: ${(error as Error).message}` };
  }
}
