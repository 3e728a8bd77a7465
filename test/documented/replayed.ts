/** The documents whose example requests the simulators answer as documented today. */
export const replayed: ReadonlySet<string> = new Set(["chainhub-sync", "chainhub-task", "freepik"]);
