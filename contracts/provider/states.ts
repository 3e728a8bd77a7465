/**
 * Provider states mapped onto the simulators. Error states are scenarios set on the interaction's
 * namespace; task states are reached by a real submit (through the unified client) and then
 * forced with the admin API; the ids the simulator minted go back to Pact, which injects them
 * into the request (`fromProviderState`). Only `states.ready` can hold on a real provider.
 */
import type { ProviderId } from "../../src/index.ts";
import { exampleKeys, inputPng, states } from "../consumer/support.ts";
import { namespaceHeader, type SimulatorTarget } from "./simulator-target.ts";

export interface StateContext {
  target: SimulatorTarget;
  provider: ProviderId;
  namespace: string;
}

export type StateSetup = (ctx: StateContext) => Promise<Record<string, string> | undefined>;

/** States that are a scenario preset on the interaction's namespace. */
export const scenarioStates: Record<string, string> = {
  [states.badKey]: "auth-failure",
  [states.noCredit]: "no-credit",
  [states.rateLimited]: "rate-limited",
  [states.outage]: "outage",
  [states.unsafe]: "task-failure",
};

/** States whose task ended badly are created under this scenario, so the failure is the provider's own. */
export const failing = { "x-mock-scenario": "task-failure" };

async function taskIn(ctx: StateContext, state: string): Promise<Record<string, string>> {
  const failed = state === "failed" || state === "FAILED";
  const handle = await ctx.target.submit(ctx.provider, ctx.namespace, {}, failed ? failing : {});
  await ctx.target.forceState(ctx.namespace, handle.id, state);
  return { taskId: handle.id };
}

async function requestIn(
  ctx: StateContext,
  state: string,
  extra: { queuePosition?: number; headers?: Record<string, string> } = {},
): Promise<Record<string, string>> {
  const handle = await ctx.target.submit(ctx.provider, ctx.namespace, {}, extra.headers ?? {});
  await ctx.target.forceState(ctx.namespace, handle.id, state, {
    ...(extra.queuePosition !== undefined ? { queuePosition: extra.queuePosition } : {}),
  });
  return { requestId: handle.id };
}

async function uploadAsset(ctx: StateContext): Promise<Record<string, string>> {
  const form = new FormData();
  form.append("asset", new Blob([inputPng], { type: "image/png" }), "image.png");
  const response = await fetch(`${ctx.target.baseUrl("onemin")}/api/assets`, {
    method: "POST",
    headers: { "API-KEY": exampleKeys.onemin, [namespaceHeader]: ctx.namespace },
    body: form,
  });
  const body = (await response.json()) as { fileContent?: { path?: string } };
  if (!response.ok || !body.fileContent?.path)
    throw new Error(`Failed to upload the asset for "${states.assetUploaded}": ${response.status}.`);
  return { assetPath: body.fileContent.path };
}

/** The setup of a state on the simulators, or undefined when the state is unknown. */
export function simulatorState(name: string): StateSetup | undefined {
  if (name === states.ready) return async () => undefined;
  const scenario = scenarioStates[name];
  if (scenario)
    return async (ctx) => {
      await ctx.target.setScenario(ctx.namespace, ctx.provider, scenario);
      return undefined;
    };
  if (name === states.assetUploaded) return uploadAsset;
  if (name === states.queued) return (ctx) => requestIn(ctx, "IN_QUEUE", { queuePosition: 2 });
  if (name === states.contentPolicy) return (ctx) => requestIn(ctx, "FAILED", { headers: failing });
  const task = /^task T is (\w+)$/.exec(name);
  if (task) return (ctx) => taskIn(ctx, task[1]!);
  const request = /^request R is (IN_QUEUE|IN_PROGRESS|COMPLETED)$/.exec(name);
  if (request) return (ctx) => requestIn(ctx, request[1]!);
  return undefined;
}
