/**
 * The engine every transport calls: find the route, apply the scenario's faults in the
 * provider's own words, check credentials, run the pure handler, journal the exchange.
 */
import { randomBytes } from "node:crypto";
import { RealClock } from "../../src/core/clock.ts";
import { localAttempt, sharedAttempt } from "./attempt-count.ts";
import { type AnsweredRequest, recordExchange } from "./exchange-record.ts";
import { type ProviderId, resolveScenario, ruleApplies } from "./faults.ts";
import { FileStore } from "./files.ts";
import { ImageUpscaler } from "./images.ts";
import { forgetHeld, Namespaces } from "./namespaces.ts";
import { OutputStore } from "./outputs.ts";
import { fetchOwn } from "./own-fetch.ts";
import type { NamespaceState, ProviderDefinition, Route, SimulatorServices } from "./provider.ts";
import { ProviderRoutes } from "./provider-routes.ts";
import { TrafficRates } from "./rates.ts";
import { remoteInputsFrom } from "./remote-inputs.ts";
import { Replication } from "./replication.ts";
import {
  answerWithFaults,
  type RequestScope,
  type RequestTrace,
  unknownScenarioRefusal,
} from "./request-pipeline.ts";
import type { RouteMatch } from "./router.ts";
import { ScenarioRules } from "./scenario-rules.ts";
import type { SharedNamespaces } from "./shared-namespaces.ts";
import type { SimResponse } from "./sim-http.ts";
import { limitsOf } from "./simulator-limits.ts";
import {
  type Dispatch,
  defaultNamespace,
  defaultStateHoldMs,
  type SimulatorEvents,
  type SimulatorOptions,
  scenarioHeader,
} from "./simulator-types.ts";
import type { StateStore } from "./store/state-store.ts";
import type { Task, TaskView } from "./tasks.ts";
import { TrackedWrites } from "./tracked-writes.ts";
import { webhookOptions } from "./webhook-options.ts";
import { createEd25519Signer } from "./webhook-signing.ts";

export {
  type Dispatch,
  defaultNamespace,
  defaultStateHoldMs,
  type Exchange,
  harnessErrorHeader,
  type SimulatorEvents,
  type SimulatorOptions,
  scenarioHeader,
} from "./simulator-types.ts";

export class Simulator {
  readonly services: SimulatorServices;
  readonly providers: Map<ProviderId, ProviderDefinition>;
  readonly #routes: ProviderRoutes;
  readonly #namespaces: Namespaces;
  readonly #rules: ScenarioRules;
  readonly events: SimulatorEvents = {};
  /** Requests and errors per provider per second, for the dashboard's charts. */
  readonly rates = new TrafficRates();
  /** Present with a shared store: this simulator is then one replica of several. */
  readonly #replica: Replication | undefined;
  /** The replica's namespaces: their scenarios and counts live in the shared store. */
  readonly #shared: SharedNamespaces | undefined;
  /** Shared-store writes under way, and the last one's failure, for `settle()`. */
  readonly #writes = new TrackedWrites();

  constructor(definitions: ProviderDefinition[], options: SimulatorOptions = {}) {
    const latency = options.latency ?? "realistic";
    this.#rules = new ScenarioRules(options.scenarios);
    const files = new FileStore();
    const limits = limitsOf(definitions, options.limits);
    this.services = {
      latency,
      images: new ImageUpscaler(),
      files,
      outputs: new OutputStore(files, options.images ?? "eager"),
      signer: options.signer ?? createEd25519Signer(),
      webhookSecret: options.webhookSecret ?? randomBytes(24).toString("base64url"),
      linkSecret: randomBytes(16).toString("hex"),
      limits,
      remoteInputs: remoteInputsFrom(options, limits.maxUploadBytes),
    };
    this.providers = new Map(definitions.map((d) => [d.id, d]));
    this.#routes = new ProviderRoutes(definitions);
    this.#namespaces = new Namespaces({
      defaultClock: options.clock ?? new RealClock(),
      progress: options.progress ?? (latency === "none" ? "polls" : "time"),
      holdMs: options.stateHoldMs ?? defaultStateHoldMs,
      maxTasks: options.maxTasksPerNamespace ?? 10_000,
      maxNamespaces: options.maxNamespaces ?? 500,
      journalCapacity: options.journalCapacity ?? 1_000,
      seed: options.seed ?? 1,
      settings: options.settings ?? {},
      // Every provider's own credential headers, so the journal never keeps a key in clear.
      credentialHeaders: new Set(definitions.flatMap((d) => d.credentialHeaders ?? [])),
      webhooks: webhookOptions(options, this.providers, this.services, () => this.#replica?.webhooks),
      // Among replicas, the first to claim a task's new state tells of it.
      onTransition: (ns, task, view) =>
        this.#replica
          ? void this.#replica.tasks.observed(ns, task, view).catch(() => {})
          : this.#notify(ns, task, view),
      ...(options.store ? { watch: (ns, task) => this.#replica?.tasks.watch(ns, task) } : {}),
      // Only this process forgets it: other replicas (and the shared store) keep theirs.
      onEvict: (name) => this.#resetHere(name),
    });
    this.#replica =
      options.store &&
      new Replication(
        options.store,
        this.services,
        {
          webhookSecret: options.webhookSecret !== undefined,
          signer: options.signer !== undefined,
          slotLeaseMs: options.slotLeaseMs,
        },
        {
          local: (name) => this.#namespaces.peek(name),
          namespace: (name) => this.namespace(name),
          onReset: (name) => this.#resetHere(name),
          notify: (ns, task, view) => this.#notify(ns, task, view),
        },
      );
    this.#shared = this.#replica?.namespaces;
  }

  /** What replicas agree on through the store (journal, clock, scenarios), when there is one. */
  get shared(): SharedNamespaces | undefined {
    return this.#shared;
  }

  /** The shared state store, when this simulator is one replica of several. */
  get store(): StateStore | undefined {
    return this.#replica?.store;
  }

  /**
   * Resolves once this replica holds the secrets it shares with the others and takes its share
   * of due task transitions (at once without a shared store). Requests wait for it too.
   */
  async ready(): Promise<void> {
    await this.#replica?.ready();
  }

  /** Tells the task's provider (its webhooks) and listeners of the task's new state. */
  #notify(ns: NamespaceState, task: Task, view: TaskView): void {
    const chaos = this.#rules.webhookChaos(ns, task.provider);
    this.providers
      .get(task.provider)
      ?.onTaskTransition?.({ ns, task, view, sim: this.services, ...(chaos ? { chaos } : {}) });
    this.events.onTaskTransition?.(ns.name, task, view);
  }

  /**
   * Resolves once every scenario change and reset made so far is in the shared store (at once
   * without one); rejects with the store's error when one could not be written.
   */
  settle(): Promise<void> {
    return this.#writes.settle();
  }

  /** The namespace, once it holds what the shared store knows of it (at once without a store). */
  async synced(name: string = defaultNamespace): Promise<NamespaceState> {
    const ns = this.namespace(name);
    await this.#shared?.ready(ns);
    return ns;
  }

  /** Stops listening to other replicas (the store itself belongs to whoever opened it). */
  async close(): Promise<void> {
    await this.#replica?.close();
  }

  /**
   * Runs `work` on a task (`undefined` when unknown) as the shared store holds it, writing back
   * what it changed (the admin API's views and forced states); without a store, on the task here.
   */
  async withTask<T>(
    namespace: string,
    id: string,
    work: (ns: NamespaceState, task: Task | undefined) => T,
  ): Promise<T> {
    const ns = this.namespace(namespace);
    return this.#replica ? this.#replica.withTask(ns, id, work) : work(ns, ns.tasks.get(id));
  }

  namespace(name: string = defaultNamespace): NamespaceState {
    return this.#namespaces.get(name);
  }

  /** A namespace's tasks (of `provider`, else all; the newest `limit`), oldest first, every replica's. */
  async listTasks(namespace: string, provider?: string, limit?: number): Promise<Task[]> {
    const ns = this.namespace(namespace);
    await this.#replica?.loadListed(ns, provider ? [provider] : this.providers.keys(), limit);
    const listed = ns.tasks.list().filter((task) => !provider || task.provider === provider);
    return limit === undefined ? listed : listed.slice(-limit);
  }

  namespaces(): string[] {
    return this.#namespaces.names();
  }

  /** Sets the scenario of a namespace for one provider (or "*"); returns unknown preset names. */
  setScenario(namespace: string, provider: ProviderId | "*", spec: string): string[] {
    const { rules, unknown } = resolveScenario(spec);
    if (unknown.length > 0) return unknown;
    const ns = this.namespace(namespace);
    ns.scenarios.set(provider, spec);
    this.#rules.remember(ns, provider, spec, rules);
    for (const key of [...ns.attempts.keys()])
      if (provider === "*" || key.startsWith(`${provider}:`)) ns.attempts.delete(key);
    if (this.#shared) this.#writes.add(this.#shared.setScenario(namespace, provider, spec));
    return [];
  }

  /** Changes a namespace setting (e.g. a provider's limit), on every replica. */
  setSetting(namespace: string, key: string, value: string): void {
    this.namespace(namespace).settings.set(key, value);
    if (this.#shared) this.#writes.add(this.#shared.setSetting(namespace, key, value));
  }

  clearScenario(namespace: string, provider?: ProviderId | "*"): void {
    const ns = this.namespace(namespace);
    if (provider) ns.scenarios.delete(provider);
    else ns.scenarios.clear();
    ns.attempts.clear();
    if (this.#shared)
      this.#writes.add(
        provider
          ? this.#shared.setScenario(namespace, provider, undefined)
          : this.#shared.clearScenarios(namespace),
      );
  }

  /** Forgets a namespace's tasks, scenarios, journal, deliveries and files (on every replica). */
  reset(namespace?: string): void {
    this.#resetHere(namespace);
    if (this.#shared)
      this.#writes.add(
        this.#shared.reset(namespace ? [namespace] : this.namespaces(), namespace === undefined),
      );
  }

  /** Forgets what this process holds of a namespace (or of all). */
  #resetHere(namespace?: string): void {
    const names = namespace ? [namespace] : this.#namespaces.names();
    for (const name of names) {
      const ns = this.#namespaces.peek(name);
      if (ns) forgetHeld(ns, this.services);
    }
  }

  /**
   * The route for a request, matched once by a transport that needs it before the body is read
   * (for its limit) and handed back in `Dispatch.match`, so the hot path does not match twice.
   */
  route(provider: ProviderId, host: string, method: string, path: string): RouteMatch | undefined {
    return this.#routes.match(provider, host, method, path);
  }

  /**
   * The largest body a route reads: its own `maxBodyBytes`, else `limits.maxJsonBytes`.
   * Transports stop reading a body as soon as it passes this.
   */
  bodyLimit(match: RouteMatch | undefined): number {
    return match?.route.maxBodyBytes?.(this.services.limits) ?? this.services.limits.maxJsonBytes;
  }

  /**
   * The provider's own answer to a request whose body passed `limit` (the transport stopped
   * reading it), journaled like any other answer. `dispatch.req.body` holds what was read, if any.
   */
  refuseBody(dispatch: Dispatch, limit: number): SimResponse {
    const started = performance.now();
    const definition = this.#definition(dispatch.provider);
    const { req } = dispatch;
    const route = (
      dispatch.match ?? this.#routes.match(dispatch.provider, dispatch.host, req.method, req.path)
    )?.route;
    if (!route) return definition.notFound(req);
    return this.#refuse(definition, dispatch, route, limit, started);
  }

  #refuse(
    definition: ProviderDefinition,
    dispatch: Dispatch,
    route: Route,
    limit: number,
    started: number,
  ): SimResponse {
    const { req } = dispatch;
    const response =
      definition.bodyTooLarge?.(route, limit, req) ??
      definition.faultResponse(
        { kind: "error", status: 413, message: `The request body is larger than ${limit} bytes.` },
        { route, req },
      );
    this.#record(
      this.namespace(dispatch.namespace),
      { dispatch, operation: route.operation, response, started },
      {
        fired: ["body-too-large"],
      },
    );
    return response;
  }

  async handle(dispatch: Dispatch): Promise<SimResponse> {
    const started = performance.now();
    const definition = this.#definition(dispatch.provider);
    const ns = this.namespace(dispatch.namespace);
    const { req } = dispatch;
    const match =
      dispatch.match ?? this.#routes.match(dispatch.provider, dispatch.host, req.method, req.path);
    if (!match) return definition.notFound(req);
    // The route's limit is checked here so every transport answers an oversize body alike. The
    // node server refuses earlier, while the body streams in, and never hands one over.
    const limit = this.bodyLimit(match);
    if (req.body.byteLength > limit) return this.#refuse(definition, dispatch, match.route, limit, started);
    // Without a shared store nothing is awaited; with one, the task load and the attempt count overlap.
    const shared = this.#replica?.limits.forRequest(ns, dispatch.provider, match.route, req);
    const loading = this.#replica?.before(ns, match, dispatch.provider, shared);
    loading?.catch(() => {}); // awaited below, where a failure is answered
    const trace: RequestTrace = { fired: [] };
    const scope: RequestScope = {
      definition,
      dispatch,
      match,
      ns,
      sim: this.services,
      trace,
      limits: shared,
      fetchOwn: (url) =>
        fetchOwn(
          { providers: this.providers, routers: this.#routes.routers, sim: this.services },
          dispatch,
          ns,
          url,
        ),
    };
    const response = await this.#answer(scope, loading);
    const loaded = await loading;
    if (loaded) await this.#replica?.after(ns, loaded, trace.taskId, shared);
    this.#record(ns, { dispatch, operation: match.route.operation, response, started }, trace);
    return response;
  }

  /** The answer under the scenario in force for this attempt (or a refusal of a bad header). */
  async #answer(scope: RequestScope, loading: Promise<unknown> | undefined): Promise<SimResponse> {
    const { definition, dispatch, match, ns } = scope;
    const header = dispatch.req.headers[scenarioHeader];
    const fromHeader = header ? resolveScenario(header) : undefined;
    if (fromHeader && fromHeader.unknown.length > 0)
      return unknownScenarioRefusal(definition, match.route, dispatch.req, fromHeader.unknown);
    const attemptKey = `${dispatch.provider}:${match.route.phase}`;
    const attempt = this.#shared
      ? (await Promise.all([sharedAttempt(this.#shared, ns, attemptKey), loading]))[0]
      : localAttempt(ns, attemptKey);
    const now = ns.clock.now();
    const faults = this.#rules
      .rulesFor(ns, dispatch.provider, fromHeader?.rules)
      .filter((rule) => ruleApplies(rule, dispatch.provider, match.route.phase, attempt, now))
      .map((rule) => rule.fault);
    return answerWithFaults(scope, faults);
  }

  #definition(provider: ProviderId): ProviderDefinition {
    const definition = this.providers.get(provider);
    if (!definition)
      throw new Error(`Failed to route: provider "${provider}" is not enabled in this simulator.`);
    return definition;
  }

  #record(ns: NamespaceState, answered: AnsweredRequest, trace: RequestTrace): void {
    const status = recordExchange(ns, answered, trace);
    this.#shared?.journal.noted(ns);
    const { dispatch, operation, response } = answered;
    this.rates.count(dispatch.provider, status);
    this.events.onExchange?.({
      namespace: ns.name,
      provider: dispatch.provider,
      operation,
      req: dispatch.req,
      response,
    });
  }
}
