/**
 * fal.ai `fal-ai/ideogram/upscale`. Queue mode (default): submit on queue.fal.run, poll the
 * status URL fal hands back, fetch the result, cancel on timeout or abort (`queue.ts`). Sync
 * mode: one held request on fal.run (`sync.ts`). The input and its upload are in `request.ts`,
 * fal's errors in `errors.ts`, its statuses in `status.ts`.
 */
import {
  doneStatus,
  handleOutput,
  type ProviderAdapter,
  type ProviderModule,
  type ResultImagePart,
} from "../../core/adapter.ts";
import { originsOf } from "../../core/facts.ts";
import type { Transport } from "../../core/http.ts";
import { contentTypeOf, formatFromName } from "../../core/image-size.ts";
import { decodeDataUri } from "../../core/input.ts";
import { twoXOnly } from "../../core/mapping.ts";
import { falCalls } from "./calls.ts";
import { runFailure } from "./errors.ts";
import { falFacts } from "./facts.ts";
import type { FalUpscaleOptions } from "./options.ts";
import { cancelRun, readResult, readStatus, submit } from "./queue.ts";
import { imageUrl, requestBody } from "./request.ts";
import { UpscaleOutput } from "./schemas.ts";
import { runSync } from "./sync.ts";

/** fal's output files as result parts; a data URI (sync_mode) is decoded on the spot. */
function resultImages(output: UpscaleOutput): ResultImagePart[] {
  return output.images.map((file) => {
    const format = formatFromName(file.file_name ?? file.url);
    const contentType = file.content_type ?? (format ? contentTypeOf[format] : undefined);
    const inline = file.url.startsWith("data:") ? decodeDataUri(file.url) : undefined;
    return {
      url: file.url,
      ...(file.width !== undefined ? { width: file.width } : {}),
      ...(file.height !== undefined ? { height: file.height } : {}),
      ...(contentType ? { contentType } : {}),
      ...(inline ? { bytes: inline.bytes } : {}),
    };
  });
}

export function createFalAdapter(transport: Transport, bases: Record<string, string>): ProviderAdapter {
  const calls = falCalls(transport, bases);
  return {
    id: "fal",

    async start(ctx, input, options: FalUpscaleOptions, warnings) {
      const scale = twoXOnly(options.scale, warnings);
      const payload = requestBody(await imageUrl(calls, ctx, input, options), options, warnings);
      const started =
        options.providerOptions?.fal?.mode === "sync"
          ? await runSync(calls, ctx, payload, options, warnings)
          : await submit(calls, ctx, payload, options);
      return { ...started, scale };
    },

    async status(ctx, handle) {
      if (handle.state !== "done") return readStatus(calls, ctx, handle);
      handleOutput(UpscaleOutput, handle);
      return doneStatus(handle);
    },

    async result(ctx, handle) {
      const { value, raw } =
        handle.state === "done"
          ? { value: handleOutput(UpscaleOutput, handle), raw: handle.output }
          : await readResult(calls, ctx, handle);
      return { images: resultImages(value), seed: value.seed, raw };
    },

    async cancel(ctx, handle) {
      return handle.state === "done" ? false : cancelRun(calls, ctx, handle);
    },

    failure: runFailure,

    timeoutHint(state) {
      return state === "IN_QUEUE" ? "No fal runner picked it up." : undefined;
    },
  };
}

export const falModule: ProviderModule = {
  id: "fal",
  envKey: falFacts.envKey,
  defaultBases: originsOf(falFacts, falFacts.clientHosts),
  apiHosts: [...falFacts.apiHosts],
  resultHosts: falFacts.resultHosts,
  authHeaders: (key) => ({ Authorization: `Key ${key}` }),
  create: createFalAdapter,
};
