/**
 * The multipart request Ideogram and chainhub share: a JSON-text part `image_request` (validated
 * with Ideogram's zod `UpscaleImageRequest`) and a binary part `image_file` (JPEG, PNG or WebP,
 * checked from its bytes). Each provider phrases the problems below in its own error body.
 */
import { UpscaleImageRequest } from "../../../src/providers/ideogram/schemas.ts";
import { type ImageFormat, inspectImage } from "../../engine/images.ts";
import { type MultipartForm, parseMultipart } from "../../engine/multipart.ts";
import type { RouteContext } from "../../engine/provider.ts";
import { fieldIssues } from "../common/validation.ts";

export interface FamilyRequest {
  settings: UpscaleImageRequest;
  numImages: number;
  image: Uint8Array;
  format: ImageFormat;
  width: number;
  height: number;
}

/** `too-large`: the upload is over the byte limit (Ideogram 413); `invalid`: anything else (400). */
export type FamilyProblem = { kind: "too-large" | "invalid"; message: string };

export type FamilyParse = ({ ok: true } & FamilyRequest) | ({ ok: false } & FamilyProblem);

const invalid = (message: string): FamilyParse => ({ ok: false, kind: "invalid", message });
const decoder = new TextDecoder();

/**
 * The JSON text of `image_request`. The providers' examples send a plain text field; a file part
 * (a Blob in FormData, or Ideogram's OpenAPI encoding `application/json`) is read too, and noted.
 */
function settingsText(ctx: RouteContext, form: MultipartForm): string | undefined {
  const field = form.fields.get("image_request")?.[0];
  if (field !== undefined) return field;
  const file = form.files.get("image_request")?.[0];
  if (!file) return undefined;
  ctx.note(
    `image_request came as a file part (filename "${file.filename}", type ${file.contentType}); ` +
      "the documented form is a plain text field. Read it as JSON text all the same.",
  );
  return decoder.decode(file.data);
}

export async function readUpscaleRequest(ctx: RouteContext): Promise<FamilyParse> {
  const { maxUploadBytes, maxInputPixels } = ctx.sim.limits;
  const parsed = await parseMultipart(ctx.req, { maxFileBytes: maxUploadBytes });
  if (!parsed.ok) {
    if (parsed.problem === "too-large")
      return {
        ok: false,
        kind: "too-large",
        message: `Image file is too large; the maximum size is ${formatBytes(maxUploadBytes)}. Resize or compress the image.`,
      };
    if (parsed.problem === "not-multipart")
      return invalid(
        `${parsed.reason} Send multipart/form-data with the parts image_request (JSON text) and image_file.`,
      );
    return invalid(parsed.reason);
  }
  const { form } = parsed;
  // A part given twice is ambiguous (which copy was validated, which one used?): refused.
  for (const name of ["image_request", "image_file"]) {
    const copies = (form.fields.get(name)?.length ?? 0) + (form.files.get(name)?.length ?? 0);
    if (copies > 1) return invalid(`Part "${name}" was sent ${copies} times; send it once.`);
  }

  const text = settingsText(ctx, form);
  if (text === undefined)
    return invalid('Missing required part "image_request" (JSON text; send "{}" for the defaults).');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return invalid(`image_request is not valid JSON: ${(error as Error).message}`);
  }
  const checked = UpscaleImageRequest.safeParse(json);
  if (!checked.success) {
    const detail = fieldIssues(checked.error)
      .map(({ name, reason }) => `${name}: ${reason}`)
      .join("; ");
    return invalid(`Invalid image_request: ${detail}.`);
  }

  const file = form.files.get("image_file")?.[0];
  if (!file) {
    return invalid(
      form.fields.has("image_file")
        ? 'Part "image_file" must be a file upload (JPEG, PNG or WebP), not a text field.'
        : 'Missing required part "image_file" (the JPEG, PNG or WebP image to upscale).',
    );
  }
  const inspected = await inspectImage(file.data, { maxInputBytes: maxUploadBytes, maxInputPixels });
  if (!inspected.ok) {
    if (inspected.problem === "too-large-bytes")
      return { ok: false, kind: "too-large", message: `Image file is too large: ${inspected.reason}` };
    return invalid(`Invalid image_file: ${inspected.reason}`);
  }
  return {
    ok: true,
    settings: checked.data,
    numImages: checked.data.num_images ?? 1,
    image: file.data,
    format: inspected.format,
    width: inspected.width,
    height: inspected.height,
  };
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;
}
