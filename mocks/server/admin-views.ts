/**
 * The admin routes behind the dashboard's views: the HAR export, one exchange in detail, the
 * task timeline and the traffic rates. Each is computed when asked, from what the journal, the
 * task stores and the webhook log already hold.
 */
import type { JournalFilter } from "../engine/journal.ts";
import type { Simulator } from "../engine/simulator.ts";
import { exchangeDetail } from "./exchange-detail.ts";
import { type NamespacedExchange, toHar } from "./har.ts";
import { journalExchange, journalExchanges, journalNamespaces } from "./journal-read.ts";
import { sharedRates } from "./shared-rates.ts";
import { type Outcome, timeline } from "./timeline.ts";

export type ViewAnswer = { status: number; body: unknown };

export interface ViewContext {
  simulator: Simulator;
  query: URLSearchParams;
  server: { url: string; urls: Record<string, string> };
}

const ok = (body: unknown): ViewAnswer => ({ status: 200, body });
const fail = (status: number, error: string): ViewAnswer => ({ status, body: { error } });
const outcomes: Outcome[] = ["running", "succeeded", "failed"];

/** The answer for `GET <route>`, or undefined when the route is not one of these. */
export async function viewRoute(route: string, id: string | undefined, ctx: ViewContext) {
  const { simulator, query } = ctx;
  const namespace = query.get("namespace") ?? "default";
  switch (route) {
    case "journal.har":
      return har(ctx);
    case "journal/:id": {
      const exchange = await journalExchange(simulator, namespace, Number(id));
      if (!exchange)
        return fail(
          404,
          `No journal entry ${id} in namespace "${namespace}" (it may have left the journal).`,
        );
      return ok(await exchangeDetail(exchange, namespace, urlOf(exchange, ctx.server)));
    }
    case "timeline": {
      const outcome = query.get("outcome");
      if (outcome && !outcomes.includes(outcome as Outcome))
        return fail(400, `Failed to filter the timeline: outcome is one of ${outcomes.join(", ")}.`);
      return ok(
        await timeline(simulator, {
          ...(query.get("namespace") ? { namespace } : {}),
          ...(query.get("provider") ? { provider: query.get("provider")! } : {}),
          ...(outcome ? { outcome: outcome as Outcome } : {}),
          offset: clamp(query.get("offset"), 0, 0, 1_000_000),
          limit: clamp(query.get("limit"), 50, 1, 500),
        }),
      );
    }
    case "rates": {
      // With a shared store, every replica's traffic (mocks/server/shared-rates.ts).
      const seconds = clamp(query.get("seconds"), 300, 10, 600);
      const shared = sharedRates(simulator.rates);
      return ok(shared ? await shared.series(seconds) : simulator.rates.series(seconds));
    }
    default:
      return undefined;
  }
}

function clamp(text: string | null, fallback: number, min: number, max: number): number {
  const value = Number(text ?? fallback);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}

/** The URL an exchange was served at (as the server serves that provider host). */
export function urlOf(exchange: NamespacedExchange, server: ViewContext["server"]): string {
  const { entry } = exchange;
  const base = server.urls[`${entry.provider}.${exchange.host}`] ?? server.url;
  return `${base}${entry.path}${exchange.query ? `?${exchange.query}` : ""}`;
}

async function har(ctx: ViewContext): Promise<ViewAnswer> {
  const { simulator, query } = ctx;
  const selected = harSelection(query);
  if (typeof selected === "string") return fail(400, selected);
  const names = await journalNamespaces(simulator, query.get("namespace"));
  const exchanges = (await journalExchanges(simulator, names, selected.filter)).filter(
    (exchange) => exchange.entry.time >= selected.fromTime,
  );
  return ok(toHar(exchanges, (exchange) => urlOf(exchange, ctx.server)));
}

/**
 * What `GET journal.har` exports: `provider`, and `since` as a journal sequence number (as for
 * `GET journal`) or an ISO date-time. A message when `since` is neither.
 */
function harSelection(query: URLSearchParams): { filter: JournalFilter; fromTime: number } | string {
  const provider = query.get("provider");
  const since = query.get("since");
  const filter: JournalFilter = provider ? { provider } : {};
  if (!since) return { filter, fromTime: Number.NEGATIVE_INFINITY };
  if (/^\d+$/.test(since))
    return { filter: { ...filter, since: Number(since) }, fromTime: Number.NEGATIVE_INFINITY };
  const time = Date.parse(since);
  if (Number.isNaN(time))
    return `Failed to export the journal: since must be a sequence number or an ISO date-time, not "${since}".`;
  return { filter, fromTime: time };
}
