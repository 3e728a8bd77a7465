/**
 * The recent upscales as the admin API and the dashboard read them: the results this process
 * rendered, or, with a shared store, the newest any replica reserved (mocks/engine/shared-files.ts),
 * rendered here from their stored inputs when first shown.
 */
import type { StoredFile } from "../engine/files.ts";
import { recentSharedOutputs } from "../engine/shared-files.ts";
import type { Simulator } from "../engine/simulator.ts";

export interface ListedUpscale {
  provider: string;
  namespace: string;
  output: string;
  source: string | undefined;
  width: number | undefined;
  height: number | undefined;
  contentType: string;
}

/** The newest `limit` upscales in the namespaces `names`, newest first. */
export async function recentUpscales(
  simulator: Simulator,
  names: string[],
  limit: number,
): Promise<ListedUpscale[]> {
  const { store } = simulator;
  if (!store)
    return simulator.services.files
      .list()
      .filter((file) => file.sourceId && names.includes(file.namespace))
      .slice(-limit)
      .reverse()
      .map(listed);
  const reserved = (await Promise.all(names.map((name) => recentSharedOutputs(store, name, limit))))
    .flat()
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(-limit);
  const rendered = await Promise.all(
    // An output whose input has left the store cannot be shown: it is left out.
    reserved.map((output) =>
      simulator.services.outputs.get(output.id, output.namespace).catch(() => undefined),
    ),
  );
  return rendered.flatMap((file) => (file ? [listed(file)] : [])).reverse();
}

function listed(file: StoredFile): ListedUpscale {
  return {
    provider: file.provider,
    namespace: file.namespace,
    output: file.id,
    source: file.sourceId,
    width: file.width,
    height: file.height,
    contentType: file.contentType,
  };
}
