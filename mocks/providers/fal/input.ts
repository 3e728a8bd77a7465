/**
 * Reading a fal request: the JSON body against `UpscaleInput` (pydantic-style 422s), then the
 * image behind `image_url`: a `data:` URI is decoded, a URL this simulator serves (fal storage,
 * a previous result) is read in-process, and any other URL is a remote input (a stand-in image
 * by default, see mocks/engine/remote-inputs.ts); one that is refused or cannot be downloaded
 * fails with `file_download_error`.
 */
import { UpscaleInput } from "../../../src/providers/fal/schemas.ts";
import { decodeDataUri, type ImageFormat, inspectImage } from "../../engine/images.ts";
import type { RouteContext } from "../../engine/provider.ts";
import { parseJsonBody } from "../../engine/sim-http.ts";
import { readInputUrl } from "../common/input-url.ts";
import {
  type ErrorAnswer,
  fileDownloadError,
  jsonInvalid,
  missingBody,
  modelError,
  pydanticItems,
  validationError,
} from "./errors.ts";

export type ParsedInput = { ok: true; input: UpscaleInput } | { ok: false; error: ErrorAnswer };

export function parseUpscaleInput(ctx: RouteContext): ParsedInput {
  const { req } = ctx;
  if (req.body.byteLength === 0) return { ok: false, error: missingBody() };
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return { ok: false, error: jsonInvalid(parsed.reason) };
  const result = UpscaleInput.safeParse(parsed.value);
  if (!result.success)
    return { ok: false, error: validationError(pydanticItems(result.error, parsed.value)) };
  return { ok: true, input: result.data };
}

export interface LoadedImage {
  data: Uint8Array;
  format: ImageFormat;
  width: number;
  height: number;
}

export type ImageResult = ({ ok: true } & LoadedImage) | { ok: false; error: ErrorAnswer };

/** Fetches and checks the input image; every problem is fal's own 422. */
export async function loadImage(ctx: RouteContext, imageUrl: string): Promise<ImageResult> {
  let data: Uint8Array | undefined;
  if (imageUrl.startsWith("data:")) {
    data = decodeDataUri(imageUrl)?.data;
    if (!data) {
      return {
        ok: false,
        error: modelError(
          "file_download_error",
          "Failed to decode the data URI. Send data:<type>;base64,<data>.",
          {
            input: `${imageUrl.slice(0, 40)}…`,
          },
        ),
      };
    }
  } else if (/^https?:\/\//i.test(imageUrl)) {
    data = await readInputUrl(ctx, imageUrl);
  }
  if (!data) return { ok: false, error: fileDownloadError(imageUrl) };

  const { maxUploadBytes, maxInputPixels } = ctx.sim.limits;
  const inspected = await inspectImage(data, { maxInputBytes: maxUploadBytes, maxInputPixels });
  if (inspected.ok) return { ...inspected, data };
  switch (inspected.problem) {
    case "too-large-bytes":
      return {
        ok: false,
        error: modelError(
          "file_too_large",
          `File size exceeds the maximum allowed size. ${inspected.reason}`,
          {
            ctx: { max_size: maxUploadBytes },
          },
        ),
      };
    case "too-many-input-pixels":
    case "too-many-output-pixels": {
      const side = Math.floor(Math.sqrt(maxInputPixels));
      return {
        ok: false,
        error: modelError("image_too_large", `Image dimensions are too large. ${inspected.reason}`, {
          ctx: { max_width: side, max_height: side },
        }),
      };
    }
    default:
      return {
        ok: false,
        error: modelError(
          "image_load_error",
          `Failed to load the image. Please ensure the image file is not corrupted and is in a supported format. ${inspected.reason}`,
        ),
      };
  }
}

/** `x-fal-request-timeout` in ms, when present and sensible. */
export function requestTimeoutMs(ctx: RouteContext): number | undefined {
  const raw = ctx.req.headers["x-fal-request-timeout"];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
