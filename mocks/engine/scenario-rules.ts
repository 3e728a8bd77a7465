/**
 * Which fault rules are in force for a request: the request header's, then the namespace's,
 * then the simulator's own, most specific first, so the first matching fault of a kind is the
 * one the caller chose last. Specs are resolved once and kept beside what they came from.
 */
import { type FaultRule, type ProviderId, resolveScenario, ruleApplies } from "./faults.ts";
import type { NamespaceState } from "./provider.ts";
import type { WebhookChaos } from "./webhooks.ts";

type Resolved = Map<string, { spec: string; rules: FaultRule[] }>;

export class ScenarioRules {
  /** The simulator's own scenarios (`options.scenarios`), resolved once. */
  readonly #optionRules: Partial<Record<string, FaultRule[]>>;
  /**
   * Each namespace's scenario rules beside the spec they were resolved from: `ns.scenarios` keeps
   * the specs as given (the admin API shows them), and requests must not re-parse them.
   */
  readonly #resolved = new WeakMap<NamespaceState, Resolved>();

  constructor(scenarios: Partial<Record<ProviderId | "*", string | FaultRule[]>> = {}) {
    this.#optionRules = Object.fromEntries(
      Object.entries(scenarios).map(([key, spec]) => [key, resolveScenario(spec).rules]),
    );
  }

  /** Keeps the rules a spec resolved to, as the namespace's scenario for `key`. */
  remember(ns: NamespaceState, key: string, spec: string, rules: FaultRule[]): void {
    this.#resolvedOf(ns).set(key, { spec, rules });
  }

  /** The rules in force for a request, `headerRules` being the request header's (resolved). */
  rulesFor(ns: NamespaceState, provider: ProviderId, headerRules: FaultRule[] = []): FaultRule[] {
    return [
      ...headerRules,
      ...this.#namespaceRules(ns, provider),
      ...this.#namespaceRules(ns, "*"),
      ...(this.#optionRules[provider] ?? []),
      ...(this.#optionRules["*"] ?? []),
    ];
  }

  /** The webhook-phase chaos in force for the next delivery of a provider in a namespace. */
  webhookChaos(ns: NamespaceState, provider: ProviderId): WebhookChaos | undefined {
    const key = `${provider}:webhook`;
    const attempt = (ns.attempts.get(key) ?? 0) + 1;
    ns.attempts.set(key, attempt);
    const now = ns.clock.now();
    for (const rule of this.rulesFor(ns, provider)) {
      if (rule.fault.kind === "webhook-chaos" && ruleApplies(rule, provider, "webhook", attempt, now)) {
        const { kind: _kind, ...chaos } = rule.fault;
        return chaos;
      }
    }
    return undefined;
  }

  #namespaceRules(ns: NamespaceState, key: ProviderId | "*"): FaultRule[] {
    const spec = ns.scenarios.get(key);
    if (spec === undefined) return [];
    const resolved = this.#resolvedOf(ns);
    let entry = resolved.get(key);
    // setScenario resolves the spec it stores; one put in `ns.scenarios` directly is resolved here.
    if (entry?.spec !== spec) {
      entry = { spec, rules: resolveScenario(spec).rules };
      resolved.set(key, entry);
    }
    return entry.rules;
  }

  #resolvedOf(ns: NamespaceState): Resolved {
    let resolved = this.#resolved.get(ns);
    if (!resolved) {
      resolved = new Map();
      this.#resolved.set(ns, resolved);
    }
    return resolved;
  }
}
