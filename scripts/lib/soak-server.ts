/**
 * The standalone server as `upscale-harness mock --latency none --clock virtual` starts it, with
 * a smaller task cap per namespace, for soaks short enough to reach their steady state. Prints
 * its URL the way the CLI does; stops on SIGTERM. Started with --expose-gc, it collects its
 * garbage on SIGUSR2, so the soak can read RSS without a heap that has simply not been collected.
 *
 *   node --expose-gc --import tsx scripts/lib/soak-server.ts <maxTasksPerNamespace> <seed>
 */
import { startMockServer } from "../../mocks/server/server.ts";
import { VirtualClock } from "../../src/core/clock.ts";

const [maxTasks = "1000", seed = "1"] = process.argv.slice(2);
const server = await startMockServer({
  port: 0,
  latency: "none",
  clock: new VirtualClock({ start: Date.now() }),
  seed: Number(seed),
  webhookSecret: "soak-secret",
  maxTasksPerNamespace: Number(maxTasks),
});
console.log(`upscale-harness simulators on ${server.url} (soak server, ${maxTasks} tasks per namespace)`);
// One full GC leaves V8 holding the pages it just emptied (heapTotal swung 35–80 MB between
// readings with 25 MB live); a few more, spaced out, let it compact and give them back, as its
// memory reducer does when idle. RSS then repeats within a few MB from reading to reading.
process.on("SIGUSR2", () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  setTimeout(() => {
    gc();
    setTimeout(gc, 100);
  }, 100);
});
process.once("SIGTERM", () => {
  void server.close(1_000).then(() => process.exit(0));
});
