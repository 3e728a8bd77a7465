/**
 * What the client reads from 1min.ai's answers: the uploaded asset's path, and the record's id,
 * status and results. Fields it never uses (`fileContent.uuid`, `asset`, `promptObject`, …) may
 * be missing; everything stays in `raw`.
 */
import { z } from "zod";

export const AssetUploadRead = z.object({ fileContent: z.object({ path: z.string().min(1) }) });

export const FeatureResponseRead = z.object({
  aiRecord: z.object({
    uuid: z.string().min(1),
    status: z.string(),
    aiRecordDetail: z.object({
      resultObject: z.array(z.string()),
      responseObject: z
        .object({
          data: z
            .array(
              z.object({
                url: z.string().nullable().optional(),
                upscaled_resolution: z.string().optional(),
                seed: z.number().int().optional(),
              }),
            )
            .optional(),
        })
        .optional(),
    }),
  }),
});
