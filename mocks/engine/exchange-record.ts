/** How an answered request is written into its namespace's journal. */
import type { NamespaceState } from "./provider.ts";
import type { RequestTrace } from "./request-pipeline.ts";
import { bodyText, type SimResponse } from "./sim-http.ts";
import type { Dispatch } from "./simulator-types.ts";

export interface AnsweredRequest {
  dispatch: Dispatch;
  operation: string;
  response: SimResponse;
  /** `performance.now()` when the request arrived. */
  started: number;
}

/** Journals the exchange; returns the status it counts as (0 for a dropped connection). */
export function recordExchange(ns: NamespaceState, answered: AnsweredRequest, trace: RequestTrace): number {
  const { dispatch, operation, response } = answered;
  const { req } = dispatch;
  const excerpt = response.status >= 400 ? bodyText(response.body)?.slice(0, 300) : undefined;
  const status = response.transport && response.status === 0 ? 0 : response.status;
  ns.journal.record(
    {
      time: ns.clock.now(),
      provider: dispatch.provider,
      operation,
      method: req.method,
      path: req.path,
      status,
      durationMs: Math.round((performance.now() - answered.started) * 100) / 100,
      headers: req.headers,
      requestBytes: req.body.byteLength,
      faults: trace.fired,
      ...(trace.taskId ? { taskId: trace.taskId } : {}),
      ...(excerpt ? { responseExcerpt: excerpt } : {}),
      ...(trace.notes ? { notes: trace.notes } : {}),
    },
    { host: dispatch.host, query: req.query, requestBody: req.body, response },
  );
  return status;
}
