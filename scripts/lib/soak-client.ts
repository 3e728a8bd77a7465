/**
 * The soak's HTTP side: raw requests to the server in a child process with the namespace and the
 * flow's scenario attached, counted (requests, latencies, expected and unexpected errors), plus
 * the admin API and the log of accepted tasks the final checks read back.
 */
import type { Agent } from "node:http";
import type { SimResponse } from "../../mocks/engine/sim-http.ts";
import { rawRequest } from "./fuzz-transport.ts";
import type { SoakReport } from "./soak-report.ts";

export type Scenario = "none" | "flaky" | "rate-limited" | "task-failure";

/** One flow's context: its namespace, its scenario and the provider it drives. */
export interface FlowContext {
  ns: string;
  scenario: Scenario;
  provider: string;
}

/** Ends a flow on an unexpected answer (already counted). */
export class Failure extends Error {}

/** An accepted async task, to be read back at the end. */
export interface AcceptedTask {
  ns: string;
  provider: string;
  url: string;
  headers: Record<string, string>;
}

export class SoakClient {
  requests = 0;
  readonly latencies: number[] = [];
  readonly expected: Record<string, number> = {};
  readonly unexpected: SoakReport["unexpected"] = {};
  /** Accepted async tasks, in the order the server accepted them. */
  readonly accepted: AcceptedTask[] = [];
  readonly #acceptedIn = new Map<string, number>();

  constructor(
    readonly agent: Agent,
    readonly base: URL,
  ) {}

  accept(task: AcceptedTask): void {
    this.accepted.push(task);
    this.#acceptedIn.set(task.ns, (this.#acceptedIn.get(task.ns) ?? 0) + 1);
  }

  acceptedIn(ns: string): number {
    return this.#acceptedIn.get(ns) ?? 0;
  }

  note(bucket: Record<string, number>, kind: string): void {
    bucket[kind] = (bucket[kind] ?? 0) + 1;
  }

  /** An expected error, by kind. */
  expect(kind: string): void {
    this.note(this.expected, kind);
  }

  fail(kind: string, sample: string): never {
    this.unexpected[kind] ??= { count: 0, sample };
    this.unexpected[kind].count++;
    throw new Failure(kind);
  }

  async admin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const answer = await rawRequest(
      this.agent,
      method,
      new URL(`/__admin/${path}`, this.base),
      undefined,
      body ? { "content-type": "application/json" } : {},
      body ? new TextEncoder().encode(JSON.stringify(body)) : new Uint8Array(),
      30_000,
    );
    if (answer.status !== 200) throw new Error(`Failed: admin ${method} ${path} answered ${answer.status}.`);
    return JSON.parse(answer.body.kind === "text" ? answer.body.value : "{}") as Record<string, unknown>;
  }

  /**
   * One call: retried while the scenario's fault answers (503 flaky, 429 rate-limited), counted
   * as expected; any status outside `ok` is unexpected and ends the flow.
   */
  async call(
    ctx: FlowContext,
    op: string,
    method: string,
    target: string,
    headers: Record<string, string>,
    ok: number[],
    body?: Uint8Array,
    faultable = true,
  ): Promise<SimResponse> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const answer = await this.#send(ctx, op, method, target, headers, body);
      this.latencies.push(performance.now() - started);
      if (ok.includes(answer.status)) return answer;
      const fault =
        faultable &&
        ((ctx.scenario === "flaky" && answer.status === 503) ||
          (ctx.scenario === "rate-limited" && answer.status === 429));
      if (fault && attempt < 20) {
        this.expect(`${ctx.scenario}: ${ctx.provider} ${answer.status}`);
        continue;
      }
      const text = answer.body.kind === "text" ? answer.body.value.slice(0, 200) : `<${answer.body.kind}>`;
      return this.fail(
        `${ctx.provider} ${op} answered ${answer.status}${ctx.scenario !== "none" ? ` (${ctx.scenario})` : ""}`,
        text,
      );
    }
  }

  async #send(
    ctx: FlowContext,
    op: string,
    method: string,
    target: string,
    headers: Record<string, string>,
    body: Uint8Array | undefined,
  ): Promise<SimResponse> {
    try {
      return await rawRequest(
        this.agent,
        method,
        new URL(target, this.base),
        undefined,
        {
          ...headers,
          "x-mock-namespace": ctx.ns,
          ...(ctx.scenario !== "none" ? { "x-mock-scenario": ctx.scenario } : {}),
        },
        body ?? new Uint8Array(),
        30_000,
      );
    } catch (error) {
      return this.fail(
        `${ctx.provider} ${op}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        "",
      );
    } finally {
      this.requests++;
    }
  }

  json<T>(answer: SimResponse): T {
    return JSON.parse(answer.body.kind === "text" ? answer.body.value : "null") as T;
  }

  /** The path (and query) of a URL the server handed out; a URL elsewhere ends the flow. */
  path(absolute: string): string {
    const parsed = new URL(absolute);
    if (parsed.origin !== this.base.origin) throw new Failure(`a URL outside the server: ${absolute}`);
    return `${parsed.pathname}${parsed.search}`;
  }

  async download(ctx: FlowContext, link: string): Promise<void> {
    const answer = await this.call(ctx, "download", "GET", this.path(link), {}, [200], undefined, false);
    if (answer.body.kind !== "bytes" || answer.body.value.byteLength < 50)
      this.fail(`${ctx.provider} download not an image`, "");
  }

  async poll<T>(
    ctx: FlowContext,
    target: string,
    headers: Record<string, string>,
    done: (body: T) => boolean,
  ): Promise<T> {
    for (let i = 0; i < 20; i++) {
      const body = this.json<T>(await this.call(ctx, "status", "GET", target, headers, [200]));
      if (done(body)) return body;
    }
    return this.fail(`${ctx.provider} task never finished`, target);
  }
}
