/**
 * The caller's image, whatever form it came in (file path, bytes, Blob, URL, data URI), turned
 * into either bytes (with type, name and size read from the header) or a remote URL. Adapters
 * then send it the way their provider wants: multipart, base64, data URI, storage upload or URL.
 */
import { DownloadError, downloadBounded } from "./bounded-download.ts";
import { ValidationError } from "./errors.ts";
import { contentTypeOf, type ImageInfo, sniffImage } from "./image-size.ts";
import type { ImageInput, SendRequest } from "./types.ts";

export interface BytesInput {
  kind: "bytes";
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
  fileName: string;
  info?: ImageInfo;
}

export interface UrlInput {
  kind: "url";
  url: string;
}

export type PreparedInput = BytesInput | UrlInput;

const invalid = (message: string) =>
  new ValidationError(message, { status: 0, fieldErrors: [{ field: "input", message }] });

export function bytesInput(data: Uint8Array, fileName?: string, declaredType?: string): BytesInput {
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(data);
  const info = sniffImage(bytes);
  if (!info) {
    throw invalid(
      `Failed to read the input image${fileName ? ` ${fileName}` : ""}: it is not a PNG, JPEG or WebP file. Convert it to one of those formats.`,
    );
  }
  const extension = info.format === "jpeg" ? "jpg" : info.format;
  const name = fileName?.split(/[\\/]/).pop() || `image.${extension}`;
  return {
    kind: "bytes",
    bytes,
    contentType: info.contentType ?? declaredType ?? contentTypeOf.png,
    fileName: name,
    info,
  };
}

export function decodeDataUri(uri: string): { contentType: string; bytes: Uint8Array } | undefined {
  const match = /^data:([^;,]*)(;base64)?,(.*)$/is.exec(uri);
  if (!match) return undefined;
  const payload = match[3] ?? "";
  const bytes = match[2]
    ? new Uint8Array(Buffer.from(payload, "base64"))
    : new TextEncoder().encode(decodeURIComponent(payload));
  return { contentType: match[1] || "application/octet-stream", bytes };
}

/** Reads the caller's input. Remote URLs stay URLs (some providers take them as they are). */
export async function prepareInput(input: ImageInput): Promise<PreparedInput> {
  if (input instanceof Uint8Array) return bytesInput(input);
  if (input instanceof ArrayBuffer) return bytesInput(new Uint8Array(input));
  if (typeof Blob !== "undefined" && input instanceof Blob) {
    const name = (input as { name?: unknown }).name;
    return bytesInput(
      new Uint8Array(await input.arrayBuffer()),
      typeof name === "string" ? name : undefined,
      input.type,
    );
  }
  const text = input instanceof URL ? input.href : input;
  if (typeof text !== "string")
    throw invalid("Failed to read the input: unsupported type. Pass a path, bytes, Blob, URL or data URI.");
  if (/^data:/i.test(text)) {
    const decoded = decodeDataUri(text);
    if (!decoded)
      throw invalid("Failed to read the input data URI: it is malformed. Use data:<type>;base64,<data>.");
    return bytesInput(decoded.bytes, undefined, decoded.contentType);
  }
  if (/^https?:\/\//i.test(text)) return { kind: "url", url: text };
  const path = /^file:/i.test(text) ? (await import("node:url")).fileURLToPath(text) : text;
  let data: Uint8Array;
  try {
    const { readFile } = await import("node:fs/promises");
    data = await readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw invalid(
      `Failed to read the input file ${path}: ${code === "ENOENT" ? "it does not exist" : (error as Error).message}. Check the path.`,
    );
  }
  return bytesInput(data, path);
}

/**
 * The most a remote input may weigh when the client downloads it: well above what any provider
 * accepts (10 MB uploads, 40 MB JSON bodies), so only a wrong or hostile URL meets it.
 */
export const maxInputDownloadBytes = 64 * 1024 * 1024;

/** Downloads a remote input (for providers that need bytes). No credentials are sent. */
export async function materialize(
  input: PreparedInput,
  fetch: SendRequest,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<BytesInput> {
  if (input.kind === "bytes") return input;
  try {
    const { bytes, contentType } = await downloadBounded(input.url, fetch, {
      maxBytes: maxInputDownloadBytes,
      timeoutMs,
      signal,
    });
    const name = new URL(input.url).pathname.split("/").pop() || undefined;
    return bytesInput(bytes, name, contentType);
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    throw invalid(
      `Failed to download the input image from ${new URL(input.url).origin}: ${error.message}. Check the URL or pass the file itself.`,
    );
  }
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function toDataUri(input: BytesInput): string {
  return `data:${input.contentType};base64,${toBase64(input.bytes)}`;
}
