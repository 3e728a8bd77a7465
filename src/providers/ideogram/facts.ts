/** Ideogram's upscale API, as docs/providers.md "ideogram" records it with its sources. */
import type { ProviderFacts } from "../../core/facts.ts";

export const ideogramFacts = {
  id: "ideogram",
  docs: "https://developer.ideogram.ai/api-reference/api-reference/upscale",
  hosts: { api: "https://api.ideogram.ai", cdn: "https://ideogram.ai" },
  apiHosts: ["api"],
  clientHosts: ["api"],
  resultHosts: ["ideogram.ai", "*.ideogram.ai"],
  envKey: "IDEOGRAM_API_KEY",
  credentialHeaders: ["api-key"],
  limits: {
    /** Per image file; Ideogram's OpenAPI says 10 MB (a newer page says 25 MB). */
    maxUploadBytes: 10 * 1024 * 1024,
    /** Images in flight per organisation; each of `num_images` counts. */
    inflightImages: 10,
  },
} as const satisfies ProviderFacts & { limits: object };
