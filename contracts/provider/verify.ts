/**
 * Verifies one provider's pact with Pact's Verifier against a simulator server (every provider
 * state set through its admin API, one namespace per interaction, webhooks captured from the
 * simulator) or against the real provider (only what holds without forcing anything, the key
 * from the environment, spending only when allowed). Returns a drift report per interaction.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MessageProviders, Verifier } from "@pact-foundation/pact";
import type { ProviderId } from "../../src/index.ts";
import { packageRoot } from "../../src/package-root.ts";
import { consumer, states } from "../consumer/support.ts";
import { webhookProviders } from "./messages.ts";
import { authHeadersOf, realGateway } from "./real-target.ts";
import { namespaceHeader, type SimulatorTarget } from "./simulator-target.ts";
import { simulatorState } from "./states.ts";

// From the package root, so the bundled CLI in dist/ finds them too.
export const pactsDir = join(packageRoot, "contracts/pacts/");
export const pactFileOf = (provider: ProviderId, dir = pactsDir) => join(dir, `${consumer}-${provider}.json`);

export type Target =
  | { kind: "simulator"; target: SimulatorTarget }
  | { kind: "real"; baseUrl?: string; apiKey: string; allowSpend: boolean };

export interface Mismatch {
  type: string;
  path?: string;
  expected?: string;
  actual?: string;
  message: string;
}

export interface InteractionOutcome {
  description: string;
  states: string[];
  status: "passed" | "failed" | "skipped";
  reason?: string;
  mismatches?: Mismatch[];
}

export interface VerificationReport {
  provider: ProviderId;
  target: string;
  outcomes: InteractionOutcome[];
  ok: boolean;
}

export interface VerifyOptions {
  provider: ProviderId;
  target: Target;
  pactFile?: string;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error";
}

interface PactInteraction {
  type: string;
  description: string;
  providerStates?: Array<{ name: string }>;
  request?: { method: string };
}

/** Why a real provider cannot run an interaction, or undefined when it can. */
export function realSkipReason(interaction: PactInteraction, allowSpend: boolean): string | undefined {
  if (interaction.type !== "Synchronous/HTTP")
    return "a webhook message: a real provider's deliveries cannot be captured here (the simulator's are)";
  const names = (interaction.providerStates ?? []).map((s) => s.name);
  const forced = names.filter((n) => n !== states.ready && n !== states.badKey);
  if (forced.length > 0) return `provider state "${forced.join('", "')}" cannot be forced on a real provider`;
  const refused = names.includes(states.badKey);
  if (!refused && interaction.request?.method === "POST" && !allowSpend)
    return "it starts an upscale that costs credits (run with --allow-spend)";
  return undefined;
}

export async function verifyPact(options: VerifyOptions): Promise<VerificationReport> {
  const { provider, target } = options;
  const pactFile = options.pactFile ?? pactFileOf(provider);
  const pact = JSON.parse(await readFile(pactFile, "utf8")) as { interactions: PactInteraction[] };
  const outcomes = new Map<string, InteractionOutcome>();
  for (const interaction of pact.interactions) {
    const names = (interaction.providerStates ?? []).map((s) => s.name);
    const reason = target.kind === "real" ? realSkipReason(interaction, target.allowSpend) : undefined;
    outcomes.set(interaction.description, {
      description: interaction.description,
      states: names,
      status: reason ? "skipped" : "passed",
      ...(reason ? { reason } : {}),
    });
  }
  const runnable = pact.interactions.filter((i) => outcomes.get(i.description)!.status !== "skipped");
  const label = target.kind === "simulator" ? `simulator at ${target.target.url}` : "";
  if (runnable.length === 0) return finish(provider, label || "real provider", outcomes);

  const work = await mkdtemp(join(tmpdir(), "upscale-harness-verify-"));
  const gateway = target.kind === "real" ? await realGateway(provider, target.baseUrl) : undefined;
  try {
    const file = join(work, `${consumer}-${provider}.json`);
    await writeFile(file, JSON.stringify({ ...pact, interactions: runnable }));
    // One namespace per interaction: states, scenarios and attempt counts never leak between them.
    const current = { namespace: "", states: [] as string[] };
    const stateNames = [...new Set(runnable.flatMap((i) => (i.providerStates ?? []).map((s) => s.name)))];
    const stateHandlers = Object.fromEntries(
      stateNames.map((name) => [
        name,
        async () => {
          current.states.push(name);
          if (target.kind !== "simulator") return undefined;
          const setup = simulatorState(name);
          if (!setup) throw new Error(`No simulator mapping for provider state "${name}".`);
          return setup({ target: target.target, provider, namespace: current.namespace });
        },
      ]),
    );
    const messageProviders: MessageProviders =
      target.kind === "simulator" ? webhookProviders(provider, target.target, () => current.namespace) : {};
    const verifier = new Verifier({
      provider,
      pactUrls: [file],
      providerBaseUrl: target.kind === "simulator" ? target.target.baseUrl(provider) : gateway!.url,
      logLevel: options.logLevel ?? "error",
      stateHandlers,
      messageProviders,
      providerStatesSetupTeardown: true,
      beforeEach: async () => {
        current.namespace = `pact-${provider}-${randomUUID().slice(0, 8)}`;
        current.states = [];
      },
      requestFilter: (req: { headers: Record<string, unknown> }, _res: unknown, next: () => void) => {
        if (target.kind === "simulator") req.headers[namespaceHeader] = current.namespace;
        else if (!current.states.includes(states.badKey)) {
          for (const [name, value] of Object.entries(authHeadersOf(provider, target.apiKey)))
            req.headers[name] = value;
        }
        next();
      },
    });
    let raw: string;
    try {
      raw = String(await verifier.verifyProvider());
    } catch (error) {
      raw = (error as Error).message;
    }
    applyResults(raw, outcomes);
    return finish(provider, label || `real provider at ${gateway!.upstream}`, outcomes);
  } finally {
    await gateway?.close();
    await rm(work, { recursive: true, force: true });
  }
}

function finish(
  provider: ProviderId,
  target: string,
  outcomes: Map<string, InteractionOutcome>,
): VerificationReport {
  const list = [...outcomes.values()];
  return { provider, target, outcomes: list, ok: list.every((o) => o.status !== "failed") };
}

interface VerifierJson {
  result?: boolean;
  errors?: Array<{
    interaction: string;
    mismatch?: { type?: string; message?: string; mismatches?: unknown[] };
  }>;
}

/** Reads the verifier's JSON result into the outcomes (field-level mismatches per interaction). */
export function applyResults(raw: string, outcomes: Map<string, InteractionOutcome>): void {
  let parsed: VerifierJson;
  try {
    parsed = JSON.parse(raw) as VerifierJson;
  } catch {
    for (const outcome of outcomes.values()) {
      if (outcome.status === "skipped") continue;
      outcome.status = "failed";
      outcome.mismatches = [{ type: "error", message: raw }];
    }
    return;
  }
  for (const error of parsed.errors ?? []) {
    const outcome = [...outcomes.values()].find((o) => error.interaction.includes(o.description));
    if (!outcome) continue;
    outcome.status = "failed";
    const list = (error.mismatch?.mismatches ?? []) as Array<Record<string, unknown>>;
    outcome.mismatches =
      list.length > 0
        ? list.map(toMismatch)
        : [
            {
              type: error.mismatch?.type ?? "error",
              message: error.mismatch?.message ?? "verification failed",
            },
          ];
  }
}

function toMismatch(m: Record<string, unknown>): Mismatch {
  const text = (v: unknown) =>
    v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v);
  const path = text(m.path) ?? text(m.key) ?? text(m.parameter);
  const expected = text(m.expected);
  const actual = text(m.actual);
  return {
    type: String(m.type ?? "Mismatch"),
    ...(path ? { path } : {}),
    ...(expected !== undefined ? { expected } : {}),
    ...(actual !== undefined ? { actual } : {}),
    message: text(m.mismatch) ?? text(m.description) ?? "mismatch",
  };
}
