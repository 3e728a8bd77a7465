/**
 * A long-lived answer's read of its task (a fal status stream) runs its work once, whichever
 * step of the shared store's load, work and write-back fails.
 */
import { describe, expect, it, vi } from "vitest";
import type { NamespaceState, SimulatorServices } from "../../mocks/engine/provider.ts";
import type { SharedTaskAccess, TaskWork } from "../../mocks/engine/task-access.ts";
import { withCurrentTask } from "../../mocks/engine/task-access.ts";
import type { Task } from "../../mocks/engine/task-types.ts";

const storedTask = { id: "t1", polls: 3 } as Task;
const heldTask = { id: "t1", polls: 1 } as Task;
const ns = { tasks: { get: () => heldTask } } as unknown as NamespaceState;

/** A store that loads `storedTask`, runs the work, then fails at the step named. */
function servicesFailing(step: "load" | "write" | "none"): SimulatorServices {
  const sharedTasks: SharedTaskAccess = {
    async withTask<T>(_ns: NamespaceState, _id: string, work: TaskWork<T>): Promise<T> {
      if (step === "load") throw new Error("store away");
      const answer = work(storedTask);
      if (step === "write") throw new Error("store away");
      return answer;
    },
  };
  return { sharedTasks } as unknown as SimulatorServices;
}

describe("withCurrentTask", () => {
  it("works on the stored task when the store answers", async () => {
    const work = vi.fn((task: Task | undefined) => task?.polls);
    expect(await withCurrentTask(servicesFailing("none"), ns, "t1", work)).toBe(3);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("falls back to the held task when the store is away before the work", async () => {
    const work = vi.fn((task: Task | undefined) => task?.polls);
    expect(await withCurrentTask(servicesFailing("load"), ns, "t1", work)).toBe(1);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("keeps the work's answer, run once, when only the write-back fails", async () => {
    const work = vi.fn((task: Task | undefined) => task?.polls);
    expect(await withCurrentTask(servicesFailing("write"), ns, "t1", work)).toBe(3);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it("passes on the work's own error without running it again", async () => {
    const work = vi.fn((): number => {
      throw new RangeError("bad task");
    });
    await expect(withCurrentTask(servicesFailing("none"), ns, "t1", work)).rejects.toThrow(RangeError);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
