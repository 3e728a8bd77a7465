/**
 * fal.ai, model `fal-ai/ideogram/upscale`: the sync run on fal.run; the queue on queue.fal.run
 * (IN_QUEUE → IN_PROGRESS → COMPLETED, no FAILED: a failed run is COMPLETED and its result GET
 * answers with the error), followed by polling, Server-Sent Events or a signed webhook; storage
 * uploads on rest.fal.ai whose files (and every result) are served from v3.fal.media.
 * Behaviour per docs/providers.md "fal"; wire shapes per specs/fal.yaml and specs/fal-sync.yaml.
 */

import { falFacts } from "../../../src/providers/fal/facts.ts";
import type { ProviderDefinition } from "../../engine/provider.ts";
import type { SimRequest, SimResponse } from "../../engine/sim-http.ts";
import { answer, detail, faultAnswer, modelError, unauthorized, withRequestId } from "./errors.ts";
import { queueRoutes } from "./queue.ts";
import { storageRoutes } from "./storage.ts";
import { runUpscale } from "./sync.ts";
import { onTaskTransition, signWebhook } from "./webhook.ts";

/** `Authorization: Key <key>`; Bearer, a bare key or no header at all is refused the same way. */
function authenticate(req: SimRequest): SimResponse | undefined {
  const match = /^Key\s+(\S+)\s*$/.exec(req.headers.authorization ?? "");
  return match ? undefined : withRequestId(unauthorized());
}

export const fal: ProviderDefinition = {
  id: "fal",
  hosts: falFacts.hosts,
  credentialHeaders: falFacts.credentialHeaders,
  proxyTargetHeader: falFacts.proxyTargetHeader,
  routes: [runUpscale, ...queueRoutes, ...storageRoutes],
  authenticate,
  faultResponse: (fault) => faultAnswer(fault),
  notFound: () => withRequestId(detail(404, "Not Found")),
  // The CDN refuses an oversize PUT with 413; the API hosts answer a 422 like any bad input.
  bodyTooLarge: (route, limit) =>
    withRequestId(
      route.host === "media"
        ? detail(413, `The file is larger than ${limit} bytes.`)
        : answer(
            modelError(
              "file_too_large",
              `The request body is larger than ${limit} bytes. Upload the image to fal storage and pass its URL.`,
              { ctx: { max_size: limit } },
            ),
          ),
    ),
  onTaskTransition,
  signWebhook,
};
