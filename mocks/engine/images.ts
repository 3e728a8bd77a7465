/**
 * Real upscaling with sharp: format by magic bytes, byte and pixel limits (including a
 * decompression-bomb guard read from the header before any decode), resize by the provider's
 * factor, re-encode in the input's format. Results are cached by (input hash, params).
 */
import { createHash } from "node:crypto";
import type sharpType from "sharp";
import type { OutputFormat } from "../../src/core/image-size.ts";
import { contentTypeOf, sniffImage } from "../../src/core/image-size.ts";

// sharp (libvips) takes ~70 ms to load: the server starts without it and loads it on first use.
let sharpLoading: Promise<typeof sharpType> | undefined;
export const loadSharp = (): Promise<typeof sharpType> =>
  (sharpLoading ??= import("sharp").then(({ default: sharp }) => {
    // Our result cache already makes a repeated upscale nearly free; libvips's own operation
    // cache would only hold up to 50 MB of duplicate pixels on top of it.
    sharp.cache(false);
    return sharp;
  }));

// Format detection is the client's (src/core/image-size.ts): one definition of the magic bytes.
export type ImageFormat = OutputFormat;
export const contentTypes: Record<ImageFormat, string> = contentTypeOf;

export interface ImageLimits {
  /** Largest accepted input in bytes. */
  maxInputBytes: number;
  /** Largest accepted input in pixels (w×h), checked from the header before decoding. */
  maxInputPixels: number;
  /** Largest allowed output in pixels, if the provider has one (its facts say). */
  maxOutputPixels?: number;
}

export interface UpscaledImage {
  data: Uint8Array;
  format: ImageFormat;
  contentType: string;
  width: number;
  height: number;
  inputWidth: number;
  inputHeight: number;
}

export type ImageProblem =
  | { problem: "too-large-bytes"; reason: string }
  | { problem: "unsupported-format"; reason: string }
  | { problem: "corrupt"; reason: string }
  | { problem: "too-many-input-pixels"; reason: string }
  | { problem: "too-many-output-pixels"; reason: string };

export type Inspected =
  | { ok: true; format: ImageFormat; width: number; height: number }
  | ({ ok: false } & ImageProblem);

/** Sniffs the format from the first bytes; the declared content type is never trusted. */
export function sniffFormat(data: Uint8Array): ImageFormat | undefined {
  return sniffImage(data)?.format;
}

/** The sniffed image type, or `fallback` for anything that is not a JPEG, PNG or WebP. */
export function sniffedContentType(data: Uint8Array, fallback: string): string {
  const format = sniffFormat(data);
  return format ? contentTypes[format] : fallback;
}

/**
 * Checks bytes, format and pixel counts from the header only (cheap; nothing is decoded), so a
 * request is refused at submit the way the provider refuses it.
 */
export async function inspectImage(data: Uint8Array, limits: ImageLimits, scale = 1): Promise<Inspected> {
  if (data.byteLength > limits.maxInputBytes) {
    return {
      ok: false,
      problem: "too-large-bytes",
      reason: `The image is ${data.byteLength} bytes; the limit is ${limits.maxInputBytes} bytes.`,
    };
  }
  const format = sniffFormat(data);
  if (!format) {
    return { ok: false, problem: "unsupported-format", reason: "The file is not a JPEG, PNG or WebP image." };
  }
  let width = 0;
  let height = 0;
  try {
    const sharp = await loadSharp();
    const meta = await sharp(data, { limitInputPixels: false }).metadata();
    width = meta.width ?? 0;
    height = meta.height ?? 0;
  } catch (error) {
    return {
      ok: false,
      problem: "corrupt",
      reason: `The image could not be read: ${(error as Error).message}`,
    };
  }
  if (width <= 0 || height <= 0)
    return { ok: false, problem: "corrupt", reason: "The image has no dimensions." };
  if (width * height > limits.maxInputPixels) {
    return {
      ok: false,
      problem: "too-many-input-pixels",
      reason: `The image is ${width}x${height} (${width * height} pixels); the limit is ${limits.maxInputPixels} pixels.`,
    };
  }
  const outputPixels = width * height * scale * scale;
  if (limits.maxOutputPixels !== undefined && outputPixels > limits.maxOutputPixels) {
    return {
      ok: false,
      problem: "too-many-output-pixels",
      reason: `The upscaled image would be ${width * scale}x${height * scale} (${outputPixels} pixels), over the maximum allowed size of ${(limits.maxOutputPixels / 1e6).toFixed(1)} million pixels.`,
    };
  }
  // The header can be intact while the pixel data is cut short or corrupt: decode once (the
  // pixel count is known to be within limits by now), so such an image is refused here with the
  // provider's 4xx instead of failing later, when its result is rendered.
  const decodeError = await decodeProblem(data);
  if (decodeError) {
    return { ok: false, problem: "corrupt", reason: `The image could not be decoded: ${decodeError}` };
  }
  return { ok: true, format, width, height };
}

/**
 * Content hashes by buffer. One request's input is looked up by its decode check and by each of
 * its renders; hashing it once saves re-reading up to 40 MB per lookup. Inputs are never
 * mutated once received, so a buffer's hash stays its content's.
 */
const contentKeys = new WeakMap<Uint8Array, string>();

/** The SHA-256 of the bytes (hex): the caches' key, so a resent copy of an image hits too. */
function contentKey(data: Uint8Array): string {
  let key = contentKeys.get(data);
  if (key === undefined) {
    key = createHash("sha256").update(data).digest("hex");
    contentKeys.set(data, key);
  }
  return key;
}

/** Decode results by content hash: clients resend the same image, and decoding is the costly part. */
const decodeChecks = new Map<string, Promise<string | undefined>>();

function decodeProblem(data: Uint8Array): Promise<string | undefined> {
  const key = contentKey(data);
  const known = decodeChecks.get(key);
  if (known) return known;
  const check = loadSharp()
    .then((sharp) => sharp(data, { limitInputPixels: false }).resize(1, 1, { fit: "fill" }).raw().toBuffer())
    .then(
      () => undefined,
      (error: Error) => error.message.split("\n")[0] ?? "unreadable",
    );
  decodeChecks.set(key, check);
  if (decodeChecks.size > 256) decodeChecks.delete(decodeChecks.keys().next().value as string);
  return check;
}

export interface UpscaleParams {
  scale: number;
  /** Encode in this format instead of the input's (for providers that always answer one format). */
  format?: ImageFormat;
}

/** Upscales with a bounded result cache; identical (input, params) pairs are computed once. */
export class ImageUpscaler {
  readonly #cache = new Map<string, Promise<UpscaledImage>>();
  readonly #maxEntries: number;
  hits = 0;
  misses = 0;

  constructor(options: { maxCacheEntries?: number } = {}) {
    this.#maxEntries = options.maxCacheEntries ?? 64;
  }

  upscale(data: Uint8Array, params: UpscaleParams): Promise<UpscaledImage> {
    const key = `${contentKey(data)}:${params.scale}:${params.format ?? ""}`;
    const cached = this.#cache.get(key);
    if (cached) {
      this.hits++;
      // Refresh recency: Map keeps insertion order, so re-inserting makes this the newest.
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached;
    }
    this.misses++;
    const work = render(data, params.scale, params.format);
    this.#cache.set(key, work);
    work.catch(() => this.#cache.delete(key));
    while (this.#cache.size > this.#maxEntries) {
      const oldest = this.#cache.keys().next().value as string;
      this.#cache.delete(oldest);
    }
    return work;
  }
}

async function render(data: Uint8Array, scale: number, outputFormat?: ImageFormat): Promise<UpscaledImage> {
  const inputFormat = sniffFormat(data);
  const format = outputFormat ?? inputFormat;
  if (!inputFormat || !format)
    throw new Error("Failed to upscale: the input is not a JPEG, PNG or WebP image.");
  const sharp = await loadSharp();
  const source = sharp(data, { limitInputPixels: false });
  const meta = await source.metadata();
  const inputWidth = meta.width ?? 0;
  const inputHeight = meta.height ?? 0;
  const width = Math.max(1, Math.round(inputWidth * scale));
  const height = Math.max(1, Math.round(inputHeight * scale));
  // A real upscaler sharpens while it enlarges; lanczos3 plus a light sharpen is the honest
  // classical stand-in, and it keeps the output recognisably the input.
  const pipeline = source.resize(width, height, { kernel: "lanczos3" }).sharpen({ sigma: 0.6 });
  const encoded =
    format === "png"
      ? pipeline.png({ compressionLevel: 3 })
      : format === "jpeg"
        ? pipeline.jpeg({ quality: 90 })
        : pipeline.webp({ quality: 90 });
  const out = await encoded.toBuffer();
  return {
    data: new Uint8Array(out),
    format,
    contentType: contentTypes[format],
    width,
    height,
    inputWidth,
    inputHeight,
  };
}

/** Decodes base64 (plain, no data-URI prefix) strictly; `undefined` when it is not base64. */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, "");
  const data = clean.replace(/={1,2}$/, "");
  if (data.length === 0 || data.length % 4 === 1 || !/^[A-Za-z0-9+/_-]*$/.test(data)) return undefined;
  return new Uint8Array(Buffer.from(clean, "base64"));
}

/** Splits a `data:<type>;base64,<payload>` URI; `undefined` when it is not one. */
export function decodeDataUri(uri: string): { contentType: string; data: Uint8Array } | undefined {
  const match = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(uri);
  if (!match) return undefined;
  if (!match[2]) {
    let text: string;
    try {
      text = decodeURIComponent(match[3]!);
    } catch {
      return undefined;
    }
    return { contentType: match[1] || "text/plain", data: new TextEncoder().encode(text) };
  }
  const data = decodeBase64Strict(match[3]!);
  return data ? { contentType: match[1] || "application/octet-stream", data } : undefined;
}

export function toDataUri(data: Uint8Array, contentType: string): string {
  return `data:${contentType};base64,${Buffer.from(data).toString("base64")}`;
}
