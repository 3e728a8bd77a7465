/**
 * 1min.ai: upload the source image as an asset (`POST /api/assets`), then run the IMAGE_UPSCALER
 * feature with model ideogram-3 (`POST /api/features`), a sync call that blocks for the run.
 * Results come back as relative asset keys, served on asset.1min.ai.
 * Behaviour per docs/providers.md "onemin"; wire shapes per specs/onemin.yaml.
 */
import type { ProviderDefinition } from "../engine/provider.ts";
import { authenticate, faultResponse, message, notFound } from "./onemin/answers.ts";
import { downloadRoute, uploadRoute } from "./onemin/assets.ts";
import { featureRoute } from "./onemin/features.ts";

export { rateLimitSetting } from "./onemin/rate-limit.ts";

export const onemin: ProviderDefinition = {
  id: "onemin",
  hosts: {
    api: "https://api.1min.ai",
    asset: "https://asset.1min.ai",
  },
  routes: [uploadRoute, featureRoute, downloadRoute],
  authenticate,
  faultResponse,
  notFound,
  bodyTooLarge: (_route, limit) => message(413, `File too large. The request is over ${limit} bytes.`),
};
