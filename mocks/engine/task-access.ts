/**
 * Work on a task outside a request's own load and write-back: a long-lived answer (a status
 * stream) reads its task again and again while other replicas may move it. With a shared store
 * each read takes the task as the store holds it and writes back what the work changed;
 * without one, it is the task held here.
 */
import type { NamespaceState, SimulatorServices } from "./provider.ts";
import type { Task } from "./task-types.ts";

export type TaskWork<T> = (task: Task | undefined) => T;

/** What a shared store offers for it (set by the replication layer). */
export interface SharedTaskAccess {
  withTask<T>(ns: NamespaceState, id: string, work: TaskWork<T>): Promise<T>;
}

/**
 * Runs `work` once on the task `id` as it stands now. Should the store be away before the work
 * ran, the task held here serves: a stream keeps going on this replica's view rather than
 * breaking off. Should only the write-back after it fail, its answer stands (run twice, the
 * work would count a poll twice).
 */
export async function withCurrentTask<T>(
  sim: SimulatorServices,
  ns: NamespaceState,
  id: string,
  work: TaskWork<T>,
): Promise<T> {
  if (!sim.sharedTasks) return work(ns.tasks.get(id));
  let started = false;
  let ran: { answer: T } | undefined;
  try {
    return await sim.sharedTasks.withTask(ns, id, (task) => {
      started = true;
      const answer = work(task);
      ran = { answer };
      return answer;
    });
  } catch (error) {
    if (ran) return ran.answer;
    // The work itself threw: that is its answer, not the store's absence.
    if (started) throw error;
    return work(ns.tasks.get(id));
  }
}
