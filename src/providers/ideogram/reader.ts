/**
 * What the client reads from Ideogram's image body (Ideogram, chainhub pass-through): only the
 * fields it uses, each optional where a document marks it so. A body without
 * `upscaled_resolution` (as chainhub's document shows) is read; the size is then measured from
 * the image. Everything else stays in `raw`.
 */
import { z } from "zod";

export const ImageRead = z.object({
  url: z.string().nullable().optional(),
  upscaled_resolution: z.string().optional(),
  is_image_safe: z.boolean().optional(),
  seed: z.number().int().optional(),
});

export const UpscaleResponseRead = z.object({ data: z.array(ImageRead) });
