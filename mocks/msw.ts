/**
 * MSW transport: handlers on the providers' real hosts that hand each request to the simulator.
 * Use with `setupServer(...createHandlers())` in Node or `setupWorker(...)` in the browser.
 * Only conversion lives here; every behaviour is in the provider definitions.
 */
import { delay, type HttpHandler, HttpResponse, http } from "msw";
import type { Clock } from "../src/core/clock.ts";
import type { ProviderId } from "./engine/faults.ts";
import type { SimBody, SimRequest, SimResponse } from "./engine/sim-http.ts";
import type { Dispatch, Simulator } from "./engine/simulator.ts";
import { namespaceHeader } from "./provider-hosts.ts";
import { slowBodyChunkBytes, slowBodyTickMs } from "./server/node-adapter.ts";
import { type CreateSimulatorOptions, createSimulator } from "./simulator.ts";

export { namespaceHeader };

export interface CreateHandlersOptions extends CreateSimulatorOptions {
  /** An existing simulator to serve (to inspect its journal, tasks, scenarios); else one is made. */
  simulator?: Simulator;
  /** Namespace for requests without an `x-mock-namespace` header (default "default"). */
  namespace?: string;
}

export function createHandlers(options: CreateHandlersOptions = {}): HttpHandler[] {
  const simulator = options.simulator ?? createSimulator(options);
  const origins: Array<{ provider: ProviderId; host: string; origin: string }> = [];
  for (const [provider, definition] of simulator.providers) {
    for (const [host, origin] of Object.entries(definition.hosts)) origins.push({ provider, host, origin });
  }
  const urlFor = (provider: ProviderId) => (host: string, path: string) =>
    `${simulator.providers.get(provider)!.hosts[host]}${path}`;
  const resolveOwn = (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const found = origins.find((o) => o.origin === parsed.origin);
    return found ? { provider: found.provider, host: found.host, path: parsed.pathname } : undefined;
  };

  return origins.map(({ provider, host, origin }) =>
    http.all(`${origin}/*`, async ({ request }) => {
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
      const dispatch: Dispatch = {
        provider,
        host,
        req,
        url: urlFor(provider),
        resolveOwn,
        ...(headers[namespaceHeader] || options.namespace
          ? { namespace: headers[namespaceHeader] ?? options.namespace! }
          : {}),
      };
      const answer = await simulator.handle(dispatch);
      return toResponse(answer, simulator.namespace(dispatch.namespace).clock);
    }),
  );
}

async function toResponse(answer: SimResponse, clock: Clock): Promise<Response> {
  if (answer.transport?.kind === "reset") return HttpResponse.error();
  if (answer.transport?.kind === "hang") {
    await delay("infinite");
  }
  const headers = new Headers(answer.headers);
  const body = toBody(answer.body);
  if (answer.transport?.kind === "slow" && body !== null && !(body instanceof ReadableStream)) {
    // JSON and text trickle too, as the server sends them: as their bytes.
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : (body as Uint8Array);
    return new HttpResponse(trickle(bytes, answer.transport.bytesPerSecond, clock), {
      status: answer.status,
      headers,
    });
  }
  return new HttpResponse(body, { status: answer.status, headers });
}

function toBody(body: SimBody): BodyInit | null {
  switch (body.kind) {
    case "json":
      return JSON.stringify(body.value);
    case "text":
      return body.value;
    case "bytes":
      return body.value as Uint8Array<ArrayBuffer>;
    case "empty":
      return null;
    case "stream": {
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
  }
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
