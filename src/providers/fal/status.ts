/**
 * fal's answers about a run in the common status shape: a queue status (IN_QUEUE, IN_PROGRESS,
 * COMPLETED; a failed run is COMPLETED with an error) and a webhook body (OK or ERROR).
 */
import type { LogLine, OperationStatus } from "../../core/types.ts";
import { detailItems, detailText } from "./errors.ts";
import { type QueueStatus, WebhookPayload } from "./schemas.ts";

export function statusOf(wire: QueueStatus, raw: unknown): OperationStatus {
  const logs: LogLine[] | undefined =
    "logs" in wire && wire.logs
      ? wire.logs.map((l) => ({ message: l.message, level: l.level, timestamp: l.timestamp }))
      : undefined;
  const base = {
    provider: "fal" as const,
    id: wire.request_id,
    providerState: wire.status,
    raw,
    ...(logs ? { logs } : {}),
  };
  if (wire.status === "IN_QUEUE") return { ...base, state: "queued", queuePosition: wire.queue_position };
  if (wire.status === "IN_PROGRESS") return { ...base, state: "running" };
  if (wire.error || wire.error_type) {
    const type = wire.error_type ?? "error";
    return {
      ...base,
      state: type === "request_cancelled" ? "canceled" : "failed",
      error: { type, message: wire.error ?? type },
    };
  }
  return { ...base, state: "succeeded" };
}

/** A fal webhook body as the common status shape. */
export function falWebhookStatus(payload: unknown): OperationStatus {
  const body = WebhookPayload.parse(payload);
  const base = { provider: "fal" as const, id: body.request_id, raw: payload };
  if (body.status === "OK" && body.payload)
    return { ...base, state: "succeeded", providerState: "OK", output: body.payload };
  if (body.status === "OK")
    return {
      ...base,
      state: "failed",
      providerState: "OK",
      error: { type: "payload_error", message: "payload_error" in body ? body.payload_error : "no payload" },
    };
  const type = detailItems(body.payload)[0]?.type;
  const errorType =
    typeof type === "string" ? type : ((body.payload as { error_type?: string }).error_type ?? "error");
  return {
    ...base,
    state: "failed",
    providerState: "ERROR",
    error: { type: errorType, message: detailText(body.payload) ?? body.error },
  };
}
