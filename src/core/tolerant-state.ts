/**
 * Providers add status values without notice. A value the client does not know is read as
 * "still running", with a warning, so the job goes on until a terminal value or the timeout
 * instead of failing on a word the client has not seen yet.
 */
import type { OperationState, ProviderId } from "./types.ts";

export interface ReadState {
  state: OperationState;
  /** Set when the value was unknown and read as running. */
  warning?: string;
}

export function readState(
  provider: ProviderId,
  known: Readonly<Record<string, OperationState>>,
  value: string,
): ReadState {
  if (Object.hasOwn(known, value)) return { state: known[value]! };
  return {
    state: "running",
    warning: `${provider} answered with the unknown status "${value}"; it is treated as still running until a known final status or the timeout.`,
  };
}
