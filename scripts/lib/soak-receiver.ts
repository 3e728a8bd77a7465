/**
 * The soak's local webhook receiver: `/ok` answers 200, `/flaky` 500 the first time then 200,
 * `/fail` always 500. It counts the attempts it got and which deliveries it acknowledged.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export class WebhookReceiver {
  /** Requests received, retries included. */
  attempts = 0;
  /** Delivery id → whether the receiver acknowledged it (Freepik: webhook-id; fal: request id). */
  readonly deliveries = new Map<string, boolean>();
  readonly #refusedOnce = new Set<string>();
  readonly #server: Server;
  #url = "";

  constructor() {
    this.#server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        this.attempts++;
        const id = String(req.headers["webhook-id"] ?? req.headers["x-fal-webhook-request-id"] ?? "");
        const answer = (status: number) => {
          this.deliveries.set(id, this.deliveries.get(id) === true || status < 300);
          res.writeHead(status).end();
        };
        if (req.url?.startsWith("/fail")) return answer(500);
        if (req.url?.startsWith("/flaky") && !this.#refusedOnce.has(id)) {
          this.#refusedOnce.add(id);
          return answer(500);
        }
        answer(200);
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The receiver's base URL (after listen). */
  get url(): string {
    return this.#url;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
