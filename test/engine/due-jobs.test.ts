/**
 * The due queue's pump on one replica: each taken job goes to the runner of its kind, and one
 * runner failing neither stops the batch nor loses its job (it comes back after its lease).
 */
import { describe, expect, it } from "vitest";
import { DueJobs, dueJobId, jobLeaseMs } from "../../mocks/engine/due-jobs.ts";
import { MemoryStateStore } from "../../mocks/engine/store/memory-store.ts";

describe("due jobs", () => {
  it("run the rest of a batch when one runner throws, and hand that job out again", async () => {
    const store = new MemoryStateStore();
    const jobs = new DueJobs(store);
    const ran: string[] = [];
    jobs.handle("boom", async (id) => {
      ran.push(id);
      throw new Error("runner failed");
    });
    jobs.handle("fine", async (id) => {
      ran.push(id);
      await store.ack(id);
    });
    const [boom, fine] = [dueJobId("boom", "ns", "1"), dueJobId("fine", "ns", "2")];
    await store.schedule(boom, Date.now() - 2, "{}");
    await store.schedule(fine, Date.now() - 1, "{}");
    jobs.start();
    try {
      await expect.poll(() => ran, { timeout: 2_000 }).toEqual([boom, fine]);
      // The failed job is still queued under its lease: due again once the lease ends.
      expect(await store.takeDue(Date.now() + jobLeaseMs + 1, 1_000)).toEqual([{ id: boom, payload: "{}" }]);
    } finally {
      await jobs.stop();
    }
  });
});
