/**
 * A task as the shared store keeps it: JSON, with byte arrays (an inline input a task carries)
 * as base64, and its poll count apart so replicas can add to it atomically.
 */
import type { Task } from "./tasks.ts";

const bytesTag = "$bytes";

export function encodeTask(task: Task): string {
  const { polls: _polls, ...rest } = task;
  return JSON.stringify(rest, (_key, value: unknown) =>
    value instanceof Uint8Array ? { [bytesTag]: Buffer.from(value).toString("base64") } : value,
  );
}

export function decodeTask(json: string, polls: number): Task {
  const task = JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const tagged = (value as Record<string, unknown>)[bytesTag];
      if (typeof tagged === "string" && Object.keys(value).length === 1)
        return new Uint8Array(Buffer.from(tagged, "base64"));
    }
    return value;
  }) as Task;
  task.polls = polls;
  return task;
}
