/**
 * The due queue's pump on one replica: each taken job goes to the runner of its kind, and one
 * runner failing neither stops the batch nor loses its job (it comes back after its lease); the
 * store going away stops the batch, whose jobs all come back after their leases.
 */
import { describe, expect, it } from "vitest";
import { DueJobs, dueJobId, jobLeaseMs } from "../../mocks/engine/due-jobs.ts";
import { MemoryStateStore } from "../../mocks/engine/store/memory-store.ts";
import { StoreUnavailableError } from "../../mocks/engine/store/state-store.ts";

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

  it("stop a batch when the store goes away, leaving its jobs to their leases", async () => {
    const store = new MemoryStateStore();
    const jobs = new DueJobs(store);
    const ran: string[] = [];
    jobs.handle("gone", async (id) => {
      ran.push(id);
      throw new StoreUnavailableError("connection lost");
    });
    const [first, second] = [dueJobId("gone", "ns", "1"), dueJobId("gone", "ns", "2")];
    await store.schedule(first, Date.now() - 2, "{}");
    await store.schedule(second, Date.now() - 1, "{}");
    jobs.start();
    try {
      await expect.poll(() => ran, { timeout: 2_000 }).toEqual([first]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(ran).toEqual([first]);
      const later = await store.takeDue(Date.now() + jobLeaseMs + 1, 1_000);
      expect(later.map((job) => job.id)).toEqual([first, second]);
    } finally {
      await jobs.stop();
    }
  });
});
