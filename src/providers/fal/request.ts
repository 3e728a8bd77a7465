/**
 * The run's input: the common options mapped onto fal's UpscaleInput, and the image as a URL
 * fal can read. Bytes go as a data URI when small, else through fal storage (initiate on
 * rest.fal.ai, then PUT to the pre-signed upload URL, which gets no credentials).
 */
import { type CallContext, checkedRequest } from "../../core/adapter.ts";
import { attempt, errorOf, rawExchange } from "../../core/http.ts";
import { type BytesInput, type PreparedInput, toDataUri } from "../../core/input.ts";
import { percentKnob, type Warnings } from "../../core/mapping.ts";
import type { FalCalls } from "./calls.ts";
import type { FalUpscaleOptions } from "./options.ts";
import { StorageInitiateResponse, UpscaleInput } from "./schemas.ts";

const defaultDataUriMaxBytes = 256 * 1024;

/** Uploads the bytes to fal storage; answers the file's URL. */
async function upload(calls: FalCalls, ctx: CallContext, image: BytesInput): Promise<string> {
  const { transport, rest, opts } = calls;
  const { value } = await ctx.send(
    "upload",
    { ...opts("upload the image"), schema: StorageInitiateResponse },
    (signal) =>
      rest.POST("/storage/upload/initiate", {
        params: { query: { storage_type: "fal-cdn-v3" } },
        body: { content_type: image.contentType, file_name: image.fileName },
        parseAs: "text",
        signal,
      }),
  );
  const target = transport.policy.check(value.upload_url, "upload URL");
  transport.policy.check(value.file_url, "uploaded file URL");
  const put = opts("put the image on fal storage");
  await ctx.retry("upload", put.operation, async () => {
    const exchange = await attempt(transport, put.operation, ctx.signal, (signal) =>
      rawExchange(
        transport,
        target.href,
        { method: "PUT", body: image.bytes, headers: { "content-type": image.contentType } },
        signal,
      ),
    );
    if (!exchange.response.ok) throw errorOf(transport, put, exchange);
  });
  return value.file_url;
}

/** The image as a URL fal reads: the caller's URL, a data URI, or a storage upload. */
export async function imageUrl(
  calls: FalCalls,
  ctx: CallContext,
  input: PreparedInput,
  options: FalUpscaleOptions,
): Promise<string> {
  if (input.kind === "url") return input.url;
  const native = options.providerOptions?.fal ?? {};
  const mode = native.upload ?? "auto";
  const limit = native.dataUriMaxBytes ?? defaultDataUriMaxBytes;
  if (mode === "data-uri" || (mode === "auto" && input.bytes.byteLength <= limit)) return toDataUri(input);
  return upload(calls, ctx, input);
}

/** The run's input, checked against the shared schema before anything is sent. */
export function requestBody(url: string, options: FalUpscaleOptions, warnings: Warnings): UpscaleInput {
  const native = options.providerOptions?.fal ?? {};
  const resemblance = percentKnob(options.resemblance, 1, 100, "resemblance", warnings);
  const detail = percentKnob(options.detail, 1, 100, "detail", warnings);
  if (options.numImages !== undefined && options.numImages !== 1)
    warnings.dropped(`numImages ${options.numImages}`, "returns one image per run");
  const candidate = {
    image_url: url,
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(resemblance !== undefined ? { resemblance } : {}),
    ...(detail !== undefined ? { detail } : {}),
    ...(native.expand_prompt !== undefined ? { expand_prompt: native.expand_prompt } : {}),
    ...(options.seed !== undefined ? { seed: Math.round(options.seed) } : {}),
    ...(native.sync_mode !== undefined ? { sync_mode: native.sync_mode } : {}),
  };
  return checkedRequest("fal", UpscaleInput, candidate, "Fix the input or options");
}
