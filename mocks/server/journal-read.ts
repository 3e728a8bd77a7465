/**
 * The journal as the admin API and the dashboard read it: this process's own, or, with a shared
 * store, every replica's (mocks/engine/shared-journal.ts). With a shared store an entry's `seq`
 * is its number in the shared log and `replica` names the replica that answered it.
 */
import type { JournalEntry, JournalFilter } from "../engine/journal.ts";
import type { Simulator } from "../engine/simulator.ts";
import type { NamespacedExchange } from "./har.ts";

export type ListedExchange = NamespacedExchange & { replica?: string };
export type ListedEntry = JournalEntry & { namespace: string; replica?: string };

/** The namespace asked for, or every one journaled in (on any replica, with a shared store). */
export async function journalNamespaces(simulator: Simulator, only?: string | null): Promise<string[]> {
  if (only) return [only];
  const local = simulator.namespaces();
  const shared = simulator.shared;
  return shared ? [...new Set([...local, ...(await shared.journal.namespaces())])] : local;
}

/** The exchanges of `names`, oldest first, with what bodies are still kept. */
export async function journalExchanges(
  simulator: Simulator,
  names: string[],
  filter: JournalFilter = {},
): Promise<ListedExchange[]> {
  const listed: ListedExchange[] = [];
  for (const name of names) {
    const local = simulator.namespaces().includes(name) ? simulator.namespace(name) : undefined;
    const exchanges = simulator.shared
      ? await simulator.shared.journal.exchanges(name, local, filter)
      : (local?.journal.exchanges(filter) ?? []);
    for (const exchange of exchanges) listed.push({ namespace: name, ...exchange });
  }
  return listed.sort((a, b) => a.entry.time - b.entry.time || a.entry.seq - b.entry.seq);
}

/** The entries of `names` (no bodies), oldest first: cheap without a shared store. */
export async function journalEntries(
  simulator: Simulator,
  names: string[],
  filter: JournalFilter = {},
): Promise<ListedEntry[]> {
  if (simulator.shared)
    return (await journalExchanges(simulator, names, filter)).map(({ namespace, entry, replica }) => ({
      namespace,
      ...entry,
      ...(replica ? { replica } : {}),
    }));
  return names
    .flatMap((name) =>
      simulator
        .namespace(name)
        .journal.list(filter)
        .map((entry) => ({ namespace: name, ...entry })),
    )
    .sort((a, b) => a.time - b.time || a.seq - b.seq);
}

/** One exchange by `seq`, or undefined once it left the journal. */
export async function journalExchange(
  simulator: Simulator,
  namespace: string,
  seq: number,
): Promise<ListedExchange | undefined> {
  const local = simulator.namespaces().includes(namespace) ? simulator.namespace(namespace) : undefined;
  const exchange = simulator.shared
    ? await simulator.shared.journal.exchange(namespace, local, seq)
    : local?.journal.exchange(seq);
  return exchange && { namespace, ...exchange };
}
