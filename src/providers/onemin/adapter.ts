/**
 * 1min.ai: the image is uploaded as an asset (`POST /api/assets`, multipart `asset`), then the
 * IMAGE_UPSCALER feature runs on its key (`POST /api/features`), a sync call that blocks for the
 * run. Results are relative asset keys, resolved against the asset host. 0–100 knobs pass as-is.
 */
import type { paths } from "../../../generated/onemin.ts";
import {
  checkedRequest,
  doneStatus,
  handleOutput,
  type ProviderAdapter,
  type ProviderModule,
} from "../../core/adapter.ts";
import { TaskFailedError } from "../../core/errors.ts";
import { originsOf } from "../../core/facts.ts";
import { classifyHttpError, createApiClient, type ErrorContext, type Transport } from "../../core/http.ts";
import { contentTypeOf, formatFromName, parseResolution } from "../../core/image-size.ts";
import { clampInt, percentKnob, twoXOnly } from "../../core/mapping.ts";
import { oneminFacts } from "./facts.ts";
import type { OneminUpscaleOptions } from "./options.ts";
import { AssetUploadRead, FeatureResponseRead } from "./reader.ts";
import { assetOrigin, assetUrl, FeatureRequest } from "./schemas.ts";

function mapError(ctx: ErrorContext): Error {
  const body = ctx.body as { message?: unknown } | string | undefined;
  const message =
    typeof body === "object" && body && typeof body.message === "string"
      ? body.message
      : typeof body === "string" && body
        ? body
        : undefined;
  return classifyHttpError(ctx, message ? { message } : {});
}

export function createOneminAdapter(transport: Transport, bases: Record<string, string>): ProviderAdapter {
  const client = createApiClient<paths>(bases.api!, transport);
  const assetBase = (bases.asset ?? assetOrigin).replace(/\/+$/, "");

  return {
    id: "onemin",

    async start(ctx, input, options: OneminUpscaleOptions, warnings) {
      const scale = twoXOnly(options.scale, warnings);
      if (options.webhookUrl) warnings.dropped("webhookUrl", "sends no webhooks");
      let imageUrl: string;
      if (input.kind === "url") {
        imageUrl = input.url;
      } else {
        const form = new FormData();
        form.append("asset", new Blob([input.bytes], { type: input.contentType }), input.fileName);
        const operation = "upload the image";
        const { value } = await ctx.send(
          "upload",
          {
            operation,
            schema: AssetUploadRead,
            mapError,
          },
          (signal) =>
            client.POST("/api/assets", {
              body: { asset: input.fileName },
              bodySerializer: () => form,
              parseAs: "text",
              signal,
            }),
        );
        imageUrl = value.fileContent.path;
      }
      const resemblance = percentKnob(options.resemblance, 0, 100, "resemblance", warnings);
      const detail = percentKnob(options.detail, 0, 100, "detail", warnings);
      const seed = clampInt(options.seed, 0, 2_147_483_647, "seed", warnings);
      const magic = options.providerOptions?.onemin?.magic_prompt_option;
      const candidate = {
        type: "IMAGE_UPSCALER",
        model: "ideogram-3",
        promptObject: {
          imageUrl,
          num_images: clampInt(options.numImages ?? 1, 1, 8, "numImages", warnings),
          ...(options.prompt ? { prompt: options.prompt } : {}),
          ...(magic ? { magic_prompt_option: magic } : {}),
          ...(resemblance !== undefined ? { resemblance } : {}),
          ...(detail !== undefined ? { detail } : {}),
          ...(seed !== undefined ? { seed } : {}),
        },
      };
      const body = checkedRequest("onemin", FeatureRequest, candidate, "Fix the options");
      const operation = "run the upscale";
      const { value, raw } = await ctx.send(
        "start",
        { operation, schema: FeatureResponseRead, mapError },
        (signal) => client.POST("/api/features", { body, parseAs: "text", signal }),
      );
      return { id: value.aiRecord.uuid, state: "done", output: raw, scale };
    },

    async status(_ctx, handle) {
      const body = handleOutput(FeatureResponseRead, handle);
      return {
        ...doneStatus(
          handle,
          body.aiRecord.status === "FAILED" ? { type: "FAILED", message: "The upscale failed." } : undefined,
        ),
        providerState: body.aiRecord.status,
      };
    },

    async result(_ctx, handle) {
      const body = handleOutput(FeatureResponseRead, handle);
      const detail = body.aiRecord.aiRecordDetail;
      const images = detail.resultObject.map((key, index) => {
        const info = detail.responseObject?.data?.[index];
        const absolute = info?.url && /^https?:\/\//i.test(info.url) ? info.url : undefined;
        // The relative key is the record of truth; the absolute URL is used when it is on an allowed host.
        const url = /^https?:\/\//i.test(key)
          ? key
          : absolute && transport.policy.allows(absolute)
            ? absolute
            : assetUrl(key, assetBase);
        const size = parseResolution(info?.upscaled_resolution);
        const format = formatFromName(key);
        return { url, ...(size ?? {}), ...(format ? { contentType: contentTypeOf[format] } : {}) };
      });
      const seed = detail.responseObject?.data?.[0]?.seed;
      return { images, raw: handle.output, ...(seed !== undefined ? { seed } : {}) };
    },

    failure(_status, handle) {
      return new TaskFailedError(
        `Failed to upscale on onemin: record ${handle.id} ended FAILED. Try another image or settings, or another provider.`,
        { provider: "onemin", status: 200, body: handle.output, taskId: handle.id, errorType: "FAILED" },
      );
    },
  };
}

export const oneminModule: ProviderModule = {
  id: "onemin",
  envKey: oneminFacts.envKey,
  defaultBases: originsOf(oneminFacts, oneminFacts.clientHosts),
  apiHosts: [...oneminFacts.apiHosts],
  resultHosts: oneminFacts.resultHosts,
  authHeaders: (key) => ({ "API-KEY": key }),
  create: createOneminAdapter,
};
