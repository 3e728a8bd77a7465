/**
 * 1min.ai: upload the source image as an asset (`POST /api/assets`), then run the IMAGE_UPSCALER
 * feature with model ideogram-3 (`POST /api/features`), a sync call that blocks for the run.
 * Results come back as relative asset keys, served on asset.1min.ai.
 * Behaviour per docs/providers.md "onemin"; wire shapes per specs/onemin.yaml.
 */

import { oneminFacts } from "../../../src/providers/onemin/facts.ts";
import type { ProviderDefinition } from "../../engine/provider.ts";
import { authenticate, faultResponse, message, notFound } from "./answers.ts";
import { downloadRoute, uploadRoute } from "./assets.ts";
import { featureRoute } from "./features.ts";

export { rateLimitSetting } from "./rate-limit.ts";

export const onemin: ProviderDefinition = {
  id: "onemin",
  hosts: oneminFacts.hosts,
  credentialHeaders: oneminFacts.credentialHeaders,
  routes: [uploadRoute, featureRoute, downloadRoute],
  authenticate,
  faultResponse,
  notFound,
  bodyTooLarge: (_route, limit) => message(413, `File too large. The request is over ${limit} bytes.`),
};
