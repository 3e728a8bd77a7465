/**
 * Ideogram's legacy upscale: one synchronous multipart `POST /upscale` answered with the finished
 * images (2x) on ephemeral links. The handle of a started job is already `done`.
 */
import type { paths } from "../../../generated/ideogram.ts";
import { doneStatus, handleOutput, type ProviderAdapter, type ProviderModule } from "../../core/adapter.ts";
import { ContentPolicyError, TaskFailedError } from "../../core/errors.ts";
import { originsOf } from "../../core/facts.ts";
import { classifyHttpError, createApiClient, type ErrorContext, type Transport } from "../../core/http.ts";
import { ideogramFacts } from "./facts.ts";
import { familyForm, familyImages, familySettings } from "./family.ts";
import type { IdeogramUpscaleOptions } from "./options.ts";
import { UpscaleResponseRead } from "./reader.ts";

export function mapIdeogramError(ctx: ErrorContext): Error {
  const body = (ctx.body ?? {}) as { error?: unknown; reject_reason?: unknown };
  const message =
    typeof body.error === "string"
      ? body.error
      : typeof ctx.body === "string" && ctx.body
        ? ctx.body
        : undefined;
  if (ctx.status === 422) {
    return new ContentPolicyError(
      `Failed to ${ctx.operation} on ${ctx.provider}: the safety check refused it${message ? ` (${message})` : ""}. Change the prompt or the image.`,
      {
        provider: ctx.provider,
        status: 422,
        body: ctx.body,
        errorType: "safety_check",
        ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      },
    );
  }
  return classifyHttpError(ctx, message ? { message } : {});
}

export function createIdeogramAdapter(transport: Transport, bases: Record<string, string>): ProviderAdapter {
  const client = createApiClient<paths>(bases.api!, transport);
  return {
    id: "ideogram",

    async start(ctx, input, options: IdeogramUpscaleOptions, warnings) {
      const { settings, scale } = familySettings(
        "ideogram",
        options,
        options.providerOptions?.ideogram ?? {},
        warnings,
      );
      const image = await ctx.materialize(input);
      const form = familyForm(settings, image);
      const operation = "submit the upscale";
      const { raw } = await ctx.send(
        "start",
        {
          operation,
          schema: UpscaleResponseRead,
          mapError: mapIdeogramError,
        },
        (signal) =>
          client.POST("/upscale", {
            body: { image_request: JSON.stringify(settings), image_file: image.fileName },
            bodySerializer: () => form,
            parseAs: "text",
            signal,
          }),
      );
      return { id: ctx.clientRequestId, state: "done", output: raw, scale };
    },

    async status(_ctx, handle) {
      return doneStatus(handle);
    },

    async result(_ctx, handle) {
      const body = handleOutput(UpscaleResponseRead, handle);
      const warnings: string[] = [];
      const { images, seed } = familyImages("ideogram", body.data, warnings);
      return { images, raw: handle.output, warnings, ...(seed !== undefined ? { seed } : {}) };
    },

    failure(status, handle) {
      return new TaskFailedError(
        `Failed to upscale on ideogram: ${status.error?.message ?? "the request failed"}. Try again or use another provider.`,
        { provider: "ideogram", status: 200, body: status.raw, taskId: handle.id },
      );
    },
  };
}

export const ideogramModule: ProviderModule = {
  id: "ideogram",
  envKey: ideogramFacts.envKey,
  defaultBases: originsOf(ideogramFacts, ideogramFacts.clientHosts),
  apiHosts: [...ideogramFacts.apiHosts],
  resultHosts: ideogramFacts.resultHosts,
  authHeaders: (key) => ({ "Api-Key": key }),
  create: createIdeogramAdapter,
};
