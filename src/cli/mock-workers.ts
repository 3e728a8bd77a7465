/**
 * `upscale-harness mock --workers N`: N server processes on one machine, so every core serves.
 * Node's cluster module lets the workers share the listening ports (the primary hands each new
 * connection to the next worker), and the shared store (Redis) makes them agree on state. This
 * primary only forks, restarts a worker that crashes, and stops them all on SIGINT/SIGTERM.
 */
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { redactUrl } from "../../mocks/engine/store/state-store.ts";

/** The worker count of `--workers`: a number, or `auto` for one per CPU. */
export function parseWorkers(spec: string | undefined): number {
  if (spec === undefined) return 1;
  if (spec === "auto") return availableParallelism();
  if (!/^\d+$/.test(spec) || Number(spec) < 1 || Number(spec) > 256)
    throw new Error(`Failed to read --workers "${spec}": use a number from 1 to 256, or auto (one per CPU).`);
  return Number(spec);
}

/** Workers read the store from the environment; only a shared one lets them agree. */
export function requireSharedStore(count: number, store: string): void {
  if (/^rediss?:\/\//.test(store)) return;
  throw new Error(
    `Failed to start ${count} workers: they share their state through Redis, and the store is "${store}". ` +
      "Give --store redis://host:port/db (or UPSCALE_HARNESS_STORE), e.g. after `redis-server --port 6379 --save ''`.",
  );
}

/** A worker that dies within this long of its start, before serving, stops the whole group. */
const stopGraceMs = 10_000;

/**
 * Forks `count` workers running the same command line and keeps them running; resolves with the
 * exit code once they are all stopped (0 after SIGINT/SIGTERM, 1 when a worker failed to start).
 */
export function runWorkers(count: number, store: string): Promise<number> {
  // Every worker must sign Freepik's webhooks with the same secret, so one is chosen here.
  // Every worker's virtual clock (with --clock virtual) starts at the same instant. Secrets
  // (webhook signing, links) the workers agree on through the store, as any replicas do.
  const env: Record<string, string> = { [clockStartVar]: String(Date.now()) };
  console.log(`upscale-harness: ${count} workers over ${redactUrl(store)} (primary pid ${process.pid})`);

  const serving = new WeakSet<Worker>();
  let stopping = false;
  let exitCode = 0;
  const fork = (slot: number): void => {
    const worker = cluster.fork({ ...env, UPSCALE_HARNESS_WORKER_SLOT: String(slot) });
    worker.once("listening", () => serving.add(worker));
    worker.once("exit", (code, signal) => {
      if (stopping) return;
      if (!serving.has(worker)) {
        // It never served (a bad flag, Redis unreachable): restarting would only loop.
        console.error(
          `Worker ${slot} (pid ${worker.process.pid}) exited with ${code ?? signal} before serving.`,
        );
        exitCode = 1;
        stop("failed start");
        return;
      }
      console.error(
        `Worker ${slot} (pid ${worker.process.pid}) died (${signal ?? `exit ${code}`}); restarting it.`,
      );
      fork(slot);
    });
  };

  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (reason !== "failed start") console.log(`${reason}: stopping ${count} workers…`);
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (!worker || worker.isDead()) continue;
      worker.process.kill("SIGTERM");
      // One that does not finish in time is cut.
      setTimeout(() => worker.isDead() || worker.process.kill("SIGKILL"), stopGraceMs).unref();
    }
  };
  const onSignal = (signal: string) => stop(signal);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  for (let slot = 1; slot <= count; slot++) fork(slot);
  return new Promise((resolve) => {
    const check = () => {
      if (!stopping) return;
      const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
      if (alive.length > 0) return;
      cluster.off("exit", check);
      if (exitCode === 0) console.log("Stopped all workers.");
      resolve(exitCode);
    };
    cluster.on("exit", check);
  });
}

const clockStartVar = "UPSCALE_HARNESS_CLOCK_START";

/** Where a virtual clock starts: now, or (in a worker) the instant its primary chose for all. */
export function virtualStart(): number {
  const chosen = Number(process.env[clockStartVar]);
  return cluster.isWorker && Number.isFinite(chosen) && chosen > 0 ? chosen : Date.now();
}

/** Which worker this process is (1…N), or undefined outside `--workers`. */
export function workerSlot(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const slot = Number(process.env.UPSCALE_HARNESS_WORKER_SLOT);
  return Number.isInteger(slot) && slot > 0 ? slot : cluster.worker?.id;
}

/** Lets a stopped worker's process end (its channel to the primary would keep it alive). */
export function leaveCluster(): void {
  if (cluster.isWorker) cluster.worker?.disconnect();
}
