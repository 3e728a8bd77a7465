/**
 * How every chainhub request is sent: retried as a whole (ctx.retry, not ctx.send), because a 2xx
 * envelope with a non-zero code is an error in chainhub's words and must be caught inside the
 * retried call: 5001 (busy) and 1302 (rate limited) are retried like the 503 and 429 they stand
 * for. The body is then checked once, with the schema the caller picks for it.
 */
import { z } from "zod";
import type { CallContext } from "../../core/adapter.ts";
import { checkBody, type Exchange, send, type Transport } from "../../core/http.ts";
import type { OperationKind } from "../../core/retry.ts";
import { mapError, requestIdOf } from "./errors.ts";

/** Picks the schema for an answer, or throws when the answer is of the wrong kind. */
export type SchemaOf<S extends z.ZodType> = (raw: unknown, response: Response) => S;

export type ChainhubCall = <S extends z.ZodType>(
  ctx: CallContext,
  kind: OperationKind,
  operation: string,
  schemaOf: SchemaOf<S>,
  exec: (signal: AbortSignal) => Promise<Exchange>,
) => Promise<{ value: z.infer<S>; raw: unknown; response: Response }>;

/** A non-zero `code` in a 2xx envelope, thrown as the error it stands for. */
function throwOnCode(transport: Transport, operation: string, raw: unknown, response: Response): void {
  const code = (raw as { code?: unknown } | null)?.code;
  if (typeof code !== "number" || code === 0) return;
  throw mapError({
    provider: "chainhub",
    operation,
    status: 200,
    body: raw,
    headers: response.headers,
    requestId: requestIdOf(response.headers, raw),
    retryAfterMs: undefined,
    keyHint: transport.keyHint,
  });
}

export function chainhubCall(transport: Transport): ChainhubCall {
  return (ctx, kind, operation, schemaOf, exec) =>
    ctx.retry(kind, operation, async () => {
      const { raw, response } = await send(
        transport,
        {
          operation,
          schema: z.unknown(),
          mapError,
          requestIdOf,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        },
        exec,
      );
      throwOnCode(transport, operation, raw, response);
      const requestId = requestIdOf(response.headers, raw);
      const value = checkBody(transport, operation, schemaOf(raw, response), raw, response.status, requestId);
      return { value, raw, response };
    });
}
