/**
 * Outbound webhook delivery: signed per attempt by the provider, retried with the provider's
 * backoff on the clock, with scenario chaos (drop, duplicate, delay → reordering), and a bounded
 * journal of deliveries and their attempts. Targets outside the allow policy (by default
 * anything but loopback) are recorded as refused and never contacted.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../src/core/clock.ts";
import type { ProviderId } from "./faults.ts";

export interface DeliveryAttempt {
  at: number;
  status?: number;
  error?: string;
  durationMs: number;
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
  /** Headers for one attempt (signatures carry the attempt's timestamp). */
  sign: (attemptAt: number) => Record<string, string>;
  /** Waits before attempts 2, 3, …; its length bounds the attempts. */
  backoffMs: number[];
  chaos?: WebhookChaos;
  random: () => number;
}

export interface WebhookDispatcherOptions {
  clock: Clock;
  send?: WebhookSender;
  /** Which targets may be contacted; default: loopback only. */
  allowUrl?: (url: URL) => boolean;
  maxDeliveries?: number;
  timeoutMs?: number;
}

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
  readonly #send: WebhookSender;
  readonly #allowUrl: (url: URL) => boolean;
  readonly #max: number;
  #inFlight = 0;

  constructor(options: WebhookDispatcherOptions) {
    this.#clock = options.clock;
    this.#send = options.send ?? defaultSend(options.timeoutMs ?? 10_000);
    this.#allowUrl = options.allowUrl ?? isLoopbackUrl;
    this.#max = options.maxDeliveries ?? 1_000;
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
      return delivery;
    }
    const chaos = options.chaos ?? {};
    if (chaos.drop && options.random() < chaos.drop) {
      delivery.state = "dropped";
      delivery.note = "Dropped by the webhook-chaos scenario.";
      return delivery;
    }
    const delay = chaos.delayMs ? Math.floor(options.random() * chaos.delayMs) : 0;
    const copies = chaos.duplicate && options.random() < chaos.duplicate ? 2 : 1;
    delivery.duplicates = copies - 1;
    this.#inFlight++;
    this.#clock.schedule(delay, () => void this.#attempt(delivery, options, copies, 0));
    return delivery;
  }

  async #attempt(
    delivery: WebhookDelivery,
    options: EnqueueOptions,
    copies: number,
    index: number,
  ): Promise<void> {
    const started = this.#clock.now();
    let ok = false;
    try {
      const headers = { "content-type": "application/json", ...options.sign(started) };
      for (let copy = 0; copy < copies; copy++) {
        const { status } = await this.#send(delivery.url, { headers, body: delivery.body });
        delivery.attempts.push({ at: started, status, durationMs: this.#clock.now() - started });
        ok = ok || (status >= 200 && status < 300);
      }
    } catch (error) {
      delivery.attempts.push({
        at: started,
        error: (error as Error).message,
        durationMs: this.#clock.now() - started,
      });
    }
    if (ok) {
      delivery.state = "delivered";
      this.#inFlight--;
      return;
    }
    const wait = options.backoffMs[index];
    if (wait === undefined) {
      delivery.state = "gave-up";
      delivery.note = `No 2xx after ${delivery.attempts.length} attempts.`;
      this.#inFlight--;
      return;
    }
    this.#clock.schedule(wait, () => void this.#attempt(delivery, options, 1, index + 1));
  }

  list(filter: { namespace?: string; provider?: string; taskId?: string } = {}): WebhookDelivery[] {
    return this.#deliveries.filter(
      (d) =>
        (filter.namespace === undefined || d.namespace === filter.namespace) &&
        (filter.provider === undefined || d.provider === filter.provider) &&
        (filter.taskId === undefined || d.taskId === filter.taskId),
    );
  }

  /** Deliveries still waiting for an attempt or a retry. */
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
    // Forget the oldest finished deliveries; pending ones stay until they settle.
    while (this.#deliveries.length > this.#max) {
      const index = this.#deliveries.findIndex((d) => d.state !== "pending");
      if (index < 0) return;
      this.#deliveries.splice(index, 1);
    }
  }
}
