/**
 * fal.ai, model `fal-ai/ideogram/upscale`: the sync run on fal.run; the queue on queue.fal.run
 * (IN_QUEUE → IN_PROGRESS → COMPLETED, no FAILED: a failed run is COMPLETED and its result GET
 * answers with the error), followed by polling, Server-Sent Events or a signed webhook; storage
 * uploads on rest.fal.ai whose files (and every result) are served from v3.fal.media.
 * Behaviour per PROVIDERS.md "fal"; wire shapes per specs/fal.yaml and specs/fal-sync.yaml.
 */
import type { ProviderDefinition } from "../engine/provider.ts";
import type { SimRequest, SimResponse } from "../engine/sim-http.ts";
import { detail, faultAnswer, unauthorized, withRequestId } from "./fal/errors.ts";
import { queueRoutes } from "./fal/queue.ts";
import { storageRoutes } from "./fal/storage.ts";
import { runUpscale } from "./fal/sync.ts";
import { onTaskTransition } from "./fal/webhook.ts";

/** `Authorization: Key <key>`; Bearer, a bare key or no header at all is refused the same way. */
function authenticate(req: SimRequest): SimResponse | undefined {
  const match = /^Key\s+(\S+)\s*$/.exec(req.headers.authorization ?? "");
  return match ? undefined : withRequestId(unauthorized());
}

export const fal: ProviderDefinition = {
  id: "fal",
  hosts: {
    run: "https://fal.run",
    queue: "https://queue.fal.run",
    rest: "https://rest.fal.ai",
    media: "https://v3.fal.media",
  },
  routes: [runUpscale, ...queueRoutes, ...storageRoutes],
  authenticate,
  faultResponse: (fault) => faultAnswer(fault),
  notFound: () => withRequestId(detail(404, "Not Found")),
  onTaskTransition,
};
