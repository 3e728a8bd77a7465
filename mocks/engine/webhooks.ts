/**
 * Outbound webhook delivery: signed per attempt by the provider, retried with the provider's
 * backoff on the clock, with scenario chaos (drop, duplicate, delay → reordering), and a bounded
 * journal of deliveries and their attempts. Targets outside the allow policy (by default
 * anything but loopback) are recorded as refused and never contacted. With a shared store
 * (`shared`), the attempts are jobs any replica may take, and the journal is the store's.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../src/core/clock.ts";
import type { ProviderId } from "./faults.ts";

export interface DeliveryAttempt {
  at: number;
  status?: number;
  error?: string;
  durationMs: number;
  /** The replica that made it, when replicas share a store. */
  replica?: string;
}

export type DeliveryState = "pending" | "delivered" | "gave-up" | "dropped" | "refused";

export interface WebhookDelivery {
  id: string;
  namespace: string;
  provider: ProviderId;
  url: string;
  taskId: string;
  event: string;
  body: string;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  /** Extra copies sent by the duplicate chaos. */
  duplicates: number;
  note?: string;
}

export type WebhookSender = (
  url: string,
  init: { headers: Record<string, string>; body: string },
) => Promise<{ status: number }>;

/** What a provider's signature covers: enough to sign again on any replica, at any attempt. */
export interface SignableDelivery {
  provider: ProviderId;
  taskId: string;
  body: string;
  /** The provider's own per-delivery values (a webhook id, a user id), fixed at enqueue. */
  signing: Record<string, string>;
}

/** Headers for one attempt: signatures carry the attempt's own timestamp. */
export type WebhookSigner = (delivery: SignableDelivery, attemptAt: number) => Record<string, string>;

/** A delivery's attempts so far and what is next, handed to every replica through the store. */
export interface DeliveryPlan {
  signing: Record<string, string>;
  backoffMs: number[];
  /** Copies of the first attempt (2 under the duplicate chaos). */
  copies: number;
  /** When the first attempt is due, on the namespace's clock. */
  dueAt: number;
}

/** Where deliveries go when replicas share a store (see shared-webhooks.ts). */
export interface SharedDeliveries {
  /** Writes the delivery for every replica to list and, with a plan, queues its first attempt. */
  add(delivery: WebhookDelivery, plan?: DeliveryPlan): void;
}

export interface WebhookChaos {
  drop?: number;
  duplicate?: number;
  delayMs?: number;
}

export interface EnqueueOptions {
  namespace: string;
  provider: ProviderId;
  url: string;
  taskId: string;
  event: string;
  body: string;
  /** The provider's per-delivery signing values (see `SignableDelivery`). */
  signing: Record<string, string>;
  /** Waits before attempts 2, 3, …; its length bounds the attempts. */
  backoffMs: number[];
  chaos?: WebhookChaos;
  random: () => number;
}

export interface WebhookDispatcherOptions {
  clock: Clock;
  /** Signs each attempt (the simulator asks the delivery's provider). */
  sign?: WebhookSigner;
  send?: WebhookSender;
  /** Which targets may be contacted; default: loopback only. */
  allowUrl?: (url: URL) => boolean;
  maxDeliveries?: number;
  timeoutMs?: number;
  /** Set when replicas share a store: deliveries are then jobs any replica may take. */
  shared?: SharedDeliveries;
}

export type DeliveryFilter = { namespace?: string; provider?: string; taskId?: string };

export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const defaultSend =
  (timeoutMs: number): WebhookSender =>
  async (url, init) => {
    const response = await fetch(url, {
      method: "POST",
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    await response.arrayBuffer();
    return { status: response.status };
  };

export class WebhookDispatcher {
  readonly #deliveries: WebhookDelivery[] = [];
  readonly #clock: Clock;
  readonly #sign: WebhookSigner;
  readonly #send: WebhookSender;
  readonly #allowUrl: (url: URL) => boolean;
  readonly #max: number;
  readonly #shared: SharedDeliveries | undefined;
  #inFlight = 0;

  constructor(options: WebhookDispatcherOptions) {
    this.#clock = options.clock;
    this.#sign = options.sign ?? (() => ({}));
    this.#send = options.send ?? defaultSend(options.timeoutMs ?? 10_000);
    this.#allowUrl = options.allowUrl ?? isLoopbackUrl;
    this.#max = options.maxDeliveries ?? 1_000;
    this.#shared = options.shared;
  }

  enqueue(options: EnqueueOptions): WebhookDelivery {
    const delivery: WebhookDelivery = {
      id: randomUUID(),
      namespace: options.namespace,
      provider: options.provider,
      url: options.url,
      taskId: options.taskId,
      event: options.event,
      body: options.body,
      state: "pending",
      attempts: [],
      duplicates: 0,
    };
    this.#remember(delivery);
    let target: URL | undefined;
    try {
      target = new URL(options.url);
    } catch {}
    if (!target || !/^https?:$/.test(target.protocol) || !this.#allowUrl(target)) {
      delivery.state = "refused";
      delivery.note =
        "The webhook URL is outside the delivery policy (loopback only by default); nothing was sent.";
      this.#shared?.add(delivery);
      return delivery;
    }
    const chaos = options.chaos ?? {};
    if (chaos.drop && options.random() < chaos.drop) {
      delivery.state = "dropped";
      delivery.note = "Dropped by the webhook-chaos scenario.";
      this.#shared?.add(delivery);
      return delivery;
    }
    const delay = chaos.delayMs ? Math.floor(options.random() * chaos.delayMs) : 0;
    const copies = chaos.duplicate && options.random() < chaos.duplicate ? 2 : 1;
    delivery.duplicates = copies - 1;
    if (this.#shared) {
      const { signing, backoffMs } = options;
      this.#shared.add(delivery, { signing, backoffMs, copies, dueAt: this.#clock.now() + delay });
      return delivery;
    }
    this.#inFlight++;
    this.#clock.schedule(delay, () => void this.#attempt(delivery, options, copies, 0));
    return delivery;
  }

  /** Sends one attempt (`copies` times), signed at its own time; a thrown send is an attempt too. */
  async attempt(
    delivery: SignableDelivery & { url: string },
    copies: number,
  ): Promise<{ attempts: DeliveryAttempt[]; ok: boolean }> {
    const started = this.#clock.now();
    const attempts: DeliveryAttempt[] = [];
    let ok = false;
    try {
      const headers = { "content-type": "application/json", ...this.#sign(delivery, started) };
      for (let copy = 0; copy < copies; copy++) {
        const { status } = await this.#send(delivery.url, { headers, body: delivery.body });
        attempts.push({ at: started, status, durationMs: this.#clock.now() - started });
        ok = ok || (status >= 200 && status < 300);
      }
    } catch (error) {
      attempts.push({
        at: started,
        error: (error as Error).message,
        durationMs: this.#clock.now() - started,
      });
    }
    return { attempts, ok };
  }

  async #attempt(
    delivery: WebhookDelivery,
    options: EnqueueOptions,
    copies: number,
    index: number,
  ): Promise<void> {
    const { attempts, ok } = await this.attempt({ ...delivery, signing: options.signing }, copies);
    delivery.attempts.push(...attempts);
    const wait = ok ? undefined : options.backoffMs[index];
    if (wait === undefined) {
      Object.assign(delivery, settledState(ok, delivery.attempts.length));
      this.#inFlight--;
      return;
    }
    this.#clock.schedule(wait, () => void this.#attempt(delivery, options, 1, index + 1));
  }

  /**
   * Another part of this replica (the shared attempt runner) made attempts of a delivery: the
   * copy held here, if any, follows.
   */
  noteAttempts(
    id: string,
    attempts: DeliveryAttempt[],
    state: Pick<WebhookDelivery, "state" | "note">,
  ): void {
    const held = this.#deliveries.find((d) => d.id === id);
    if (!held) return;
    held.attempts.push(...attempts);
    Object.assign(held, state);
  }

  /**
   * The deliveries this process holds. With a shared store, those enqueued here (every
   * replica's: `listSharedDeliveries`).
   */
  list(filter: DeliveryFilter = {}): WebhookDelivery[] {
    return this.#deliveries.filter((d) => matchesDelivery(d, filter));
  }

  /** Deliveries still waiting for an attempt or a retry (on this replica's own clock). */
  get inFlight(): number {
    return this.#inFlight;
  }

  clearNamespace(namespace: string): void {
    for (let i = this.#deliveries.length - 1; i >= 0; i--) {
      const delivery = this.#deliveries[i]!;
      if (delivery.namespace === namespace && delivery.state !== "pending") this.#deliveries.splice(i, 1);
    }
  }

  #remember(delivery: WebhookDelivery): void {
    this.#deliveries.push(delivery);
    // Forget the oldest finished deliveries; pending ones stay until they settle. With a shared
    // store another replica may settle them, so the oldest go whatever their state.
    while (this.#deliveries.length > this.#max) {
      const index = this.#shared ? 0 : this.#deliveries.findIndex((d) => d.state !== "pending");
      if (index < 0) return;
      this.#deliveries.splice(index, 1);
    }
  }
}

/** The state of a delivery whose last attempt succeeded (`ok`) or had no retry left. */
export function settledState(ok: boolean, attempts: number): Pick<WebhookDelivery, "state" | "note"> {
  return ok ? { state: "delivered" } : { state: "gave-up", note: `No 2xx after ${attempts} attempts.` };
}

export function matchesDelivery(delivery: WebhookDelivery, filter: DeliveryFilter): boolean {
  return (
    (filter.namespace === undefined || delivery.namespace === filter.namespace) &&
    (filter.provider === undefined || delivery.provider === filter.provider) &&
    (filter.taskId === undefined || delivery.taskId === filter.taskId)
  );
}
