/**
 * The providers this package speaks to, by id: the one list that the client's module table, the
 * simulators' host table, the CLI's choices and the handle check all derive from. It imports
 * nothing and says nothing about any provider beyond its id, so src/core/ may read the id type
 * without knowing a provider (docs/decisions/0005).
 */
export const providerIds = ["ideogram", "chainhub", "fal", "onemin", "freepik"] as const;
export type ProviderId = (typeof providerIds)[number];
