/** 1min.ai's asset upload and IMAGE_UPSCALER feature, as docs/providers.md "onemin" records them. */
import type { ProviderFacts } from "../../core/facts.ts";

export const oneminFacts = {
  id: "onemin",
  docs: "https://docs.1min.ai/docs/api/ai-for-image/image-upscaler/ideogram-image-upscaler",
  // `asset` is where relative asset keys resolve, as third-party clients do.
  hosts: { api: "https://api.1min.ai", asset: "https://asset.1min.ai" },
  apiHosts: ["api"],
  clientHosts: ["api", "asset"],
  resultHosts: ["asset.1min.ai", "*.1min.ai"],
  envKey: "ONEMIN_API_KEY",
  credentialHeaders: ["api-key"],
  limits: {
    /** Per image file. */
    maxUploadBytes: 10 * 1024 * 1024,
    /** Requests a minute per key. */
    requestsPerMinute: 180,
  },
} as const satisfies ProviderFacts & { limits: object };
