/**
 * chainhub's answers in the common shapes: which schema a submit answer is read with (its task
 * envelope or Ideogram's sync body, as `mode` allows) and a polled task as a status.
 */
import { ContractError } from "../../core/errors.ts";
import type { OperationStatus } from "../../core/types.ts";
import { UpscaleResponseRead } from "../ideogram/reader.ts";
import type { ChainhubOptions } from "./options.ts";
import { TaskEnvelope, type TaskQueryEnvelope } from "./schemas.ts";

const stateOf = {
  submitted: "queued",
  processing: "running",
  succeed: "succeeded",
  failed: "failed",
} as const;

type Mode = NonNullable<ChainhubOptions["mode"]>;

/**
 * The schema for a submit answer: the task envelope when it carries a `code`, else Ideogram's
 * body. A pinned mode refuses the other kind, so an account's change of answer is not missed.
 */
export function submitSchemaFor(mode: Mode, operation: string) {
  return (raw: unknown, response: Response) => {
    const isTask = typeof raw === "object" && raw !== null && "code" in raw;
    if (mode !== "auto" && (mode === "task") !== isTask) {
      throw new ContractError(
        `Failed to ${operation} on chainhub: expected its ${mode === "task" ? "task envelope" : "Ideogram-style body"}, got the ${isTask ? "task envelope" : "Ideogram-style body"}. Set providerOptions.chainhub.mode to "auto" or to the mode your account answers in.`,
        { provider: "chainhub", status: response.status, body: raw, path: isTask ? "code" : "data" },
      );
    }
    return isTask ? TaskEnvelope : UpscaleResponseRead;
  };
}

/** A polled task as the common status shape. */
export function taskStatus(task: TaskQueryEnvelope["data"], raw: unknown): OperationStatus {
  return {
    provider: "chainhub",
    id: task.task_id,
    state: stateOf[task.task_status],
    providerState: task.task_status,
    ...(task.task_result ? { outputUrls: task.task_result.images.map((i) => i.url) } : {}),
    ...(task.task_status === "failed"
      ? { error: { type: "failed", message: task.task_status_msg ?? "The task failed." } }
      : {}),
    raw,
  };
}
