/**
 * chainhub's Ideogram upscale: Ideogram's multipart request behind `Authorization: Bearer` (and a
 * required `Accept: application/json`), answered with chainhub's task envelope (then polled at
 * `GET /ideogram/upscale/{task_id}`) or with Ideogram's sync body. Both answers are understood;
 * `providerOptions.chainhub.mode` pins one. Sending and its retries are in `calls.ts`, chainhub's
 * errors in `errors.ts`, its answers in `status.ts`.
 */
import type { paths } from "../../../generated/chainhub.ts";
import { doneStatus, handleOutput, type ProviderAdapter, type ProviderModule } from "../../core/adapter.ts";
import { originsOf } from "../../core/facts.ts";
import { createApiClient, type Transport } from "../../core/http.ts";
import type { OperationStatus } from "../../core/types.ts";
import { familyForm, familyImages, familySettings } from "../ideogram/family.ts";
import { UpscaleResponseRead } from "../ideogram/reader.ts";
import { chainhubCall } from "./calls.ts";
import { taskFailure } from "./errors.ts";
import { chainhubFacts } from "./facts.ts";
import type { ChainhubUpscaleOptions } from "./options.ts";
import { TaskQueryEnvelope } from "./schemas.ts";
import { submitSchemaFor, taskStatus } from "./status.ts";

export function createChainhubAdapter(transport: Transport, bases: Record<string, string>): ProviderAdapter {
  const client = createApiClient<paths>(bases.api!, transport);
  const call = chainhubCall(transport);

  return {
    id: "chainhub",

    async start(ctx, input, options: ChainhubUpscaleOptions, warnings) {
      const native = options.providerOptions?.chainhub ?? {};
      const { settings, scale } = familySettings("chainhub", options, native, warnings);
      const image = await ctx.materialize(input);
      const form = familyForm(settings, image);
      const operation = "submit the upscale";
      const { value, raw } = await call(
        ctx,
        "start",
        operation,
        submitSchemaFor(native.mode ?? "auto", operation),
        (signal) =>
          client.POST("/ideogram/upscale", {
            params: { header: { Accept: "application/json" } },
            body: { image_request: JSON.stringify(settings), image_file: image.fileName },
            bodySerializer: () => form,
            parseAs: "text",
            signal,
          }),
      );
      if ("code" in value) return { id: value.data.task_id, state: "pending", scale };
      return { id: ctx.clientRequestId, state: "done", output: raw, scale };
    },

    async status(ctx, handle): Promise<OperationStatus> {
      if (handle.state === "done") return doneStatus(handle);
      const { value, raw } = await call(
        ctx,
        "read",
        "read the task status",
        () => TaskQueryEnvelope,
        (signal) =>
          client.GET("/ideogram/upscale/{task_id}", {
            params: { path: { task_id: handle.id }, header: { Accept: "application/json" } },
            parseAs: "text",
            signal,
          }),
      );
      return taskStatus(value.data, raw);
    },

    async result(_ctx, handle, status) {
      const warnings: string[] = [];
      if (handle.state === "done") {
        const body = handleOutput(UpscaleResponseRead, handle);
        const { images, seed } = familyImages("chainhub", body.data, warnings);
        return { images, raw: handle.output, warnings, ...(seed !== undefined ? { seed } : {}) };
      }
      const task = TaskQueryEnvelope.parse(status.raw).data;
      const { images } = familyImages("chainhub", task.task_result?.images ?? [], warnings, handle.id);
      return { images, raw: status.raw, warnings };
    },

    failure: taskFailure,
  };
}

export const chainhubModule: ProviderModule = {
  id: "chainhub",
  envKey: chainhubFacts.envKey,
  defaultBases: originsOf(chainhubFacts, chainhubFacts.clientHosts),
  apiHosts: [...chainhubFacts.apiHosts],
  resultHosts: chainhubFacts.resultHosts,
  authHeaders: (key) => ({ Authorization: `Bearer ${key}` }),
  create: createChainhubAdapter,
};
