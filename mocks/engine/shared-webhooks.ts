/**
 * Webhook deliveries that outlive the replica that started them. Each delivery is a record in
 * the store (its attempts and state, listed by any replica through a capped per-namespace index)
 * and, while it has attempts to make, a job in the due queue whose payload holds all an attempt
 * needs. Whichever replica takes the job sends the attempt, signed there with the shared secrets,
 * then acknowledges it or queues the retry after the provider's backoff. A replica that dies
 * holding the job hands it on when its lease ends: the attempt it was making may then be sent
 * twice (receivers dedupe by the provider's event id); in the normal path each leaves once.
 */
import { type DueJobs, dueJobId, jobLeaseMs, wallTimeOf } from "./due-jobs.ts";
import type { NamespaceState } from "./provider.ts";
import type { StateStore } from "./store/state-store.ts";
import { type DeliveryPlan, type SharedDeliveries, settledState, type WebhookDelivery } from "./webhooks.ts";

/** How long the store keeps a delivery's record and the namespace's index after their last write. */
const keepMs = 24 * 60 * 60 * 1000;
const indexName = "webhooks";
const recordName = (id: string) => `webhook:${id}`;
const jobKind = "webhook";

/** A due attempt: the delivery as its first attempt needs it, and where its plan has got to. */
interface DeliveryJob extends Omit<DeliveryPlan, "copies"> {
  id: string;
  namespace: string;
  provider: WebhookDelivery["provider"];
  url: string;
  taskId: string;
  event: string;
  body: string;
  /** Which wait of `backoffMs` follows this attempt when it fails. */
  index: number;
  copies: number;
}

export interface SharedWebhookEvents {
  /** The namespace by name, holding what the store knows of it (its virtual clock above all). */
  synced(name: string): Promise<NamespaceState>;
}

export class SharedWebhooks implements SharedDeliveries {
  readonly #store: StateStore;
  readonly #events: SharedWebhookEvents;
  /** Names this replica in the attempts it makes (as in the shared journal). */
  readonly #replica: string;
  readonly #maxDeliveries: number;
  /** Writes and attempts under way, so `stop` lets them finish. */
  readonly #running = new Set<Promise<void>>();

  constructor(
    store: StateStore,
    jobs: DueJobs,
    options: { replica: string; maxDeliveries?: number; events: SharedWebhookEvents },
  ) {
    this.#store = store;
    this.#events = options.events;
    this.#replica = options.replica;
    this.#maxDeliveries = options.maxDeliveries ?? 1_000;
    jobs.handle(jobKind, (id, payload) => this.#take(id, payload));
  }

  add(delivery: WebhookDelivery, plan?: DeliveryPlan): void {
    this.#track(async () => {
      if (!plan) return this.#write(delivery, true);
      const { id, namespace, provider, url, taskId, event, body } = delivery;
      // The clock before the record: a store that fails here leaves no pending record behind
      // without a job to settle it.
      const { clock } = await this.#events.synced(namespace);
      await this.#write(delivery, true);
      const job: DeliveryJob = { id, namespace, provider, url, taskId, event, body, ...plan, index: 0 };
      await this.#store.schedule(jobId(job), wallTimeOf(clock, plan.dueAt), JSON.stringify(job));
    });
  }

  /** Lets the writes and attempts under way finish. */
  async stop(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  /** A due attempt, taken by this replica: sent in the background, so other jobs do not wait. */
  async #take(id: string, payload: string): Promise<void> {
    const job = JSON.parse(payload) as DeliveryJob;
    const ns = await this.#events.synced(job.namespace);
    // A namespace on a virtual clock: not yet its time there.
    if (ns.clock.now() < job.dueAt) {
      await this.#store.schedule(id, wallTimeOf(ns.clock, job.dueAt), payload);
      return;
    }
    this.#track(() => this.#attempt(ns, id, job, payload));
  }

  async #attempt(ns: NamespaceState, id: string, job: DeliveryJob, payload: string): Promise<void> {
    const { attempts, ok } = await this.#send(ns, id, job, payload);
    for (const attempt of attempts) attempt.replica = this.#replica;
    const wait = ok ? undefined : job.backoffMs[job.index];
    // The record first, while this replica still holds the job: a retry queued before it could
    // be taken elsewhere and its attempt written over this one's. Should this replica die in
    // between, the job comes back after its lease and the attempt is sent again, not lost.
    const stored = await this.#read(job.namespace, job.id);
    const delivery = stored ?? deliveryOf(job);
    delivery.attempts.push(...attempts);
    const state =
      wait === undefined ? settledState(ok, delivery.attempts.length) : { state: "pending" as const };
    Object.assign(delivery, state);
    // A reset forgot the record meanwhile: the delivery goes on, and is listed again.
    await this.#write(delivery, stored === undefined);
    if (wait === undefined) await this.#store.ack(id);
    else {
      const dueAt = ns.clock.now() + wait;
      const next: DeliveryJob = { ...job, index: job.index + 1, copies: 1, dueAt };
      await this.#store.schedule(id, wallTimeOf(ns.clock, dueAt), JSON.stringify(next));
    }
    ns.webhooks.noteAttempts(job.id, attempts, state);
  }

  /** Sends the attempt, renewing the job's lease while the receiver takes its time. */
  async #send(ns: NamespaceState, id: string, job: DeliveryJob, payload: string) {
    let renewing: Promise<void> = Promise.resolve();
    const renew = setInterval(() => {
      renewing = this.#store.schedule(id, Date.now() + jobLeaseMs, payload).catch(() => {});
    }, jobLeaseMs / 2);
    try {
      return await ns.webhooks.attempt(job, job.copies);
    } finally {
      clearInterval(renew);
      await renewing;
    }
  }

  async #read(namespace: string, id: string): Promise<WebhookDelivery | undefined> {
    const record = await this.#store.getRecord(namespace, recordName(id));
    return record?.delivery ? (JSON.parse(record.delivery) as WebhookDelivery) : undefined;
  }

  async #write(delivery: WebhookDelivery, index: boolean): Promise<void> {
    const { namespace, id } = delivery;
    await this.#store.setFields(namespace, recordName(id), { delivery: JSON.stringify(delivery) }, keepMs);
    if (index) await this.#store.appendLog(namespace, indexName, [id], this.#maxDeliveries, keepMs);
  }

  /** Runs store work off the caller's path; a failure leaves the job to come back after its lease. */
  #track(work: () => Promise<void>): void {
    const running: Promise<void> = work()
      .catch(() => {})
      .finally(() => this.#running.delete(running));
    this.#running.add(running);
  }
}

/** Every replica's deliveries of a namespace, as the store holds them, oldest first. */
export async function listSharedDeliveries(store: StateStore, namespace: string): Promise<WebhookDelivery[]> {
  const ids = new Set((await store.readLog(namespace, indexName)).map((entry) => entry.value));
  const records = await store.getRecords(namespace, [...ids].map(recordName));
  return records.flatMap((record) =>
    record?.delivery ? [JSON.parse(record.delivery) as WebhookDelivery] : [],
  );
}

function jobId(job: Pick<DeliveryJob, "namespace" | "id">): string {
  return dueJobId(jobKind, job.namespace, job.id);
}

/** The delivery as its job describes it, when its record is gone. */
function deliveryOf(job: DeliveryJob): WebhookDelivery {
  const { id, namespace, provider, url, taskId, event, body } = job;
  return { id, namespace, provider, url, taskId, event, body, state: "pending", attempts: [], duplicates: 0 };
}
