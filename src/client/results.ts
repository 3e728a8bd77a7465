/**
 * From an adapter's result parts to the caller's UpscaleResult: dimensions filled from what was
 * expected or measured from the bytes, a warning when the asked format was not honoured, and a
 * non-enumerable `download()` that fetches (and measures) one image on demand.
 */
import type { ResultImagePart, ResultParts } from "../core/adapter.ts";
import { TaskFailedError, UpscaleError, ValidationError } from "../core/errors.ts";
import { fetchBytes } from "../core/http.ts";
import { contentTypeOf, formatFromContentType, sniffImage } from "../core/image-size.ts";
import { decodeDataUri } from "../core/input.ts";
import type { OperationHandle, ResultImage, UpscaleResult } from "../core/types.ts";
import type { CallOptions } from "../upscaler-api.ts";
import type { ClientRuntime } from "./runtime.ts";

/** Keeps an image's bytes and sets its type and size from them: what it is, not what was said. */
function measure(image: ResultImage, bytes: Uint8Array, contentType?: string): void {
  const info = sniffImage(bytes);
  image.contentType = info?.contentType ?? contentType ?? image.contentType;
  if (info?.width && info.height) {
    image.width = info.width;
    image.height = info.height;
  }
  image.bytes = bytes;
}

async function downloadImage(
  runtime: ClientRuntime,
  handle: OperationHandle,
  image: ResultImage,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (image.bytes) return image.bytes;
  let bytes: Uint8Array;
  let contentType: string | undefined;
  if (image.url.startsWith("data:")) {
    const decoded = decodeDataUri(image.url);
    if (!decoded)
      throw new UpscaleError(`Failed to decode the result data URI of ${handle.provider}. Report it.`);
    ({ bytes, contentType } = decoded);
  } else {
    const transport = runtime.transportOf(handle.provider);
    const ctx = runtime.callContext(handle.provider, { signal, clientRequestId: handle.clientRequestId });
    ({ bytes, contentType } = await ctx.retry("read", "download the result", () =>
      fetchBytes(transport, image.url, "result image", signal),
    ));
  }
  measure(image, bytes, contentType);
  return bytes;
}

function noImages(handle: OperationHandle, parts: ResultParts): TaskFailedError {
  return new TaskFailedError(
    `Failed to upscale on ${handle.provider}: job ${handle.id} finished without any image. Run it again, or use another provider.`,
    { provider: handle.provider, status: 200, body: parts.raw, taskId: handle.id, errorType: "no_images" },
  );
}

/** The images as the provider described them, with what it left out taken from the request. */
function imagesOf(handle: OperationHandle, parts: ResultParts): ResultImage[] {
  const { expected } = handle;
  return parts.images.map((part: ResultImagePart) => ({
    url: part.url,
    width: part.width ?? (expected.inputWidth ? expected.inputWidth * expected.scale : 0),
    height: part.height ?? (expected.inputHeight ? expected.inputHeight * expected.scale : 0),
    contentType: part.contentType ?? expected.contentType ?? contentTypeOf.png,
    ...(part.bytes ? { bytes: part.bytes } : {}),
  }));
}

function formatWarning(handle: OperationHandle, images: ResultImage[]): string | undefined {
  const format = handle.expected.format;
  if (!format) return undefined;
  const off = images.filter((i) => formatFromContentType(i.contentType) !== format);
  if (off.length === 0) return undefined;
  const returned = [...new Set(off.map((i) => i.contentType))].join(", ");
  return `format ${format} was asked for, but ${handle.provider} returned ${returned}; it does not let the caller choose the output format.`;
}

export async function buildResult(
  runtime: ClientRuntime,
  handle: OperationHandle,
  parts: ResultParts,
  signal: AbortSignal | undefined,
): Promise<UpscaleResult> {
  if (parts.images.length === 0) throw noImages(handle, parts);
  const warnings = [...handle.warnings, ...(parts.warnings ?? [])];
  const images = imagesOf(handle, parts);
  for (const image of images) {
    // Inline images are measured as they are; dimensions the provider did not state for a
    // linked one are measured from the downloaded image.
    if (image.bytes) measure(image, image.bytes);
    else if (!image.width || !image.height) await downloadImage(runtime, handle, image, signal);
  }
  const formatNote = formatWarning(handle, images);
  if (formatNote) warnings.push(formatNote);
  const result = {
    images,
    ...(parts.seed !== undefined ? { seed: parts.seed } : {}),
    provider: handle.provider,
    taskId: handle.id,
    warnings,
    tried: handle.tried,
    raw: parts.raw,
  } as UpscaleResult;
  Object.defineProperty(result, "download", {
    enumerable: false,
    value: async (index = 0, opts: CallOptions = {}) => {
      const image = images[index];
      if (!image) {
        throw new ValidationError(
          `Failed to download image ${index}: the result has ${images.length} image(s). Use an index below ${images.length}.`,
          {
            provider: handle.provider,
            status: 0,
            fieldErrors: [{ field: "index", message: "out of range" }],
          },
        );
      }
      return downloadImage(runtime, handle, image, opts.signal);
    },
  });
  return result;
}
