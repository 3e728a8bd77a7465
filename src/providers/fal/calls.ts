/**
 * What every fal call shares: one typed client per host (queue.fal.run, rest.fal.ai, fal.run)
 * over the shared transport, and the send options that map fal's errors and read its request id.
 */
import type { paths as queuePaths } from "../../../generated/fal.ts";
import type { paths as syncPaths } from "../../../generated/fal-sync.ts";
import { createApiClient, type Transport } from "../../core/http.ts";
import { mapError } from "./errors.ts";

export interface FalCalls {
  transport: Transport;
  /** The configured queue origin (and path prefix), without a trailing slash. */
  queueBase: string;
  queue: ReturnType<typeof createApiClient<queuePaths>>;
  rest: ReturnType<typeof createApiClient<queuePaths>>;
  run: ReturnType<typeof createApiClient<syncPaths>>;
  /** Send options for one named operation. */
  opts(operation: string): {
    operation: string;
    mapError: typeof mapError;
    requestIdOf(headers: Headers): string | undefined;
  };
}

export function falCalls(transport: Transport, bases: Record<string, string>): FalCalls {
  const queueBase = bases.queue!.replace(/\/+$/, "");
  return {
    transport,
    queueBase,
    queue: createApiClient<queuePaths>(queueBase, transport),
    rest: createApiClient<queuePaths>(bases.rest!, transport),
    run: createApiClient<syncPaths>(bases.run!, transport),
    opts: (operation) => ({
      operation,
      mapError,
      requestIdOf: (headers) => headers.get("x-fal-request-id") ?? undefined,
    }),
  };
}
