/**
 * The simulators behind WHATWG `Request`/`Response`, on the providers' real hosts: the one
 * conversion both in-process transports share. `createSimulatorFetch` hands it to anything that
 * takes a `fetch` (the unified client, fal's client) with no interception library; the MSW
 * handlers (`msw.ts`) put the same conversion behind `http.all`. Only conversion lives here;
 * every behaviour is in the provider definitions.
 */
import type { Clock } from "../src/core/clock.ts";
import type { ProviderId } from "./engine/faults.ts";
import { bodyText, type SimBody, type SimRequest, type SimResponse } from "./engine/sim-http.ts";
import type { Dispatch, Simulator } from "./engine/simulator.ts";
import { namespaceHeader } from "./provider-hosts.ts";
import { slowBodyChunkBytes, slowBodyTickMs } from "./server/node-adapter.ts";

export interface WebTransportOptions {
  /** Namespace for requests without an `x-mock-namespace` header (default "default"). */
  namespace?: string;
}

export interface SimulatedOrigin {
  provider: ProviderId;
  host: string;
  origin: string;
}

export interface WebTransport {
  readonly simulator: Simulator;
  /** Every real origin the simulators answer for. */
  readonly origins: readonly SimulatedOrigin[];
  /** Answers one request to `host` of `provider`, as the provider would. */
  handle(request: Request, provider: ProviderId, host: string): Promise<Response>;
}

export function createWebTransport(simulator: Simulator, options: WebTransportOptions = {}): WebTransport {
  const origins: SimulatedOrigin[] = [];
  for (const [provider, definition] of simulator.providers) {
    for (const [host, origin] of Object.entries(definition.hosts)) origins.push({ provider, host, origin });
  }
  const urlFor = (provider: ProviderId) => (host: string, path: string) =>
    `${simulator.providers.get(provider)!.hosts[host]}${path}`;
  const resolveOwn = (url: string) => {
    const found = originOf(origins, url);
    return found ? { provider: found.provider, host: found.host, path: new URL(url).pathname } : undefined;
  };

  const handle = async (request: Request, provider: ProviderId, host: string): Promise<Response> => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const req: SimRequest = {
      method: request.method.toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: new Uint8Array(await request.arrayBuffer()),
    };
    const namespace = headers[namespaceHeader] ?? options.namespace;
    const dispatch: Dispatch = {
      provider,
      host,
      req,
      url: urlFor(provider),
      resolveOwn,
      ...(namespace ? { namespace } : {}),
    };
    const answer = await simulator.handle(dispatch);
    return toResponse(answer, simulator.namespace(dispatch.namespace).clock, request.signal);
  };
  return { simulator, origins, handle };
}

/**
 * A `fetch` whose requests to the providers' real hosts reach the simulators in-process, e.g.
 * `createUpscaler({ fetch: createSimulatorFetch(createSimulator()) })`. Any other URL fails as a
 * network error would, so nothing leaves the process by mistake.
 */
export function createSimulatorFetch(
  simulator: Simulator,
  options: WebTransportOptions = {},
): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  const transport = createWebTransport(simulator, options);
  return async (input, init) => {
    const request = new Request(input, init);
    const found = originOf(transport.origins, request.url);
    if (!found) {
      throw new TypeError(
        `Failed to fetch ${request.url}: not a simulated provider host. Use the provider's real URL (e.g. ${transport.origins[0]?.origin}).`,
      );
    }
    return transport.handle(request, found.provider, found.host);
  };
}

function originOf(origins: readonly SimulatedOrigin[], url: string): SimulatedOrigin | undefined {
  if (!URL.canParse(url)) return undefined;
  const { origin } = new URL(url);
  return origins.find((o) => o.origin === origin);
}

async function toResponse(answer: SimResponse, clock: Clock, signal: AbortSignal): Promise<Response> {
  if (answer.transport?.kind === "reset") return Response.error();
  if (answer.transport?.kind === "hang") {
    // Never answered: the client's own timeout (its abort signal) is what ends the wait.
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    throw signal.reason;
  }
  const headers = new Headers(answer.headers);
  const body = toBody(answer.body);
  if (answer.transport?.kind === "slow" && body !== null && !(body instanceof ReadableStream)) {
    // JSON and text trickle too, as the server sends them: as their bytes.
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : (body as Uint8Array);
    return new Response(trickle(bytes, answer.transport.bytesPerSecond, clock), {
      status: answer.status,
      headers,
    });
  }
  return new Response(body, { status: answer.status, headers });
}

function toBody(body: SimBody): BodyInit | null {
  if (body.kind === "bytes") return body.value as Uint8Array<ArrayBuffer>;
  if (body.kind === "empty") return null;
  if (body.kind !== "stream") return bodyText(body)!;
  const encoder = new TextEncoder();
  const iterator = body.chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** A body that arrives in chunks at the given rate, paced like the server's, on the simulator's clock. */
function trickle(data: Uint8Array, bytesPerSecond: number, clock: Clock): ReadableStream<Uint8Array> {
  const chunk = slowBodyChunkBytes(bytesPerSecond);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= data.length) return controller.close();
      await clock.sleep(slowBodyTickMs);
      controller.enqueue(data.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}
