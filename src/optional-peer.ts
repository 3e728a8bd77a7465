/**
 * Loads an optional peer dependency (msw, Pact, Prism) on first use. When it is not installed,
 * the error says which feature needs it and the command that installs it, instead of Node's
 * bare "Cannot find package".
 */

export class MissingPeerError extends Error {
  readonly packageName: string;

  constructor(packageName: string, feature: string, cause: unknown) {
    super(
      `Failed to load ${packageName}: ${feature} needs it and it is not installed. Run \`npm i -D ${packageName}\`.`,
      { cause },
    );
    this.name = "MissingPeerError";
    this.packageName = packageName;
  }
}

/** True when `error` says that `packageName` itself (not something inside it) cannot be found. */
function isMissing(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  return typeof message === "string" && new RegExp(`['"]${packageName}(/[^'"]*)?['"]`).test(message);
}

/** `load` holds the literal `import()`, so bundlers keep the specifier as written. */
export async function importPeer<T>(
  packageName: string,
  feature: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw isMissing(error, packageName) ? new MissingPeerError(packageName, feature, error) : error;
  }
}

/** The same for a peer that is run as a program rather than imported: `resolve` finds its file. */
export function resolvePeer(packageName: string, feature: string, resolve: () => string): string {
  try {
    return resolve();
  } catch (error) {
    throw isMissing(error, packageName) ? new MissingPeerError(packageName, feature, error) : error;
  }
}
