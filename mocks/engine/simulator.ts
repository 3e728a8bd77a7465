/**
 * The engine every transport calls: find the route, apply the scenario's faults in the
 * provider's own words, check credentials, run the pure handler, journal the exchange.
 */
import { randomBytes } from "node:crypto";
import { type Clock, RealClock, VirtualClock } from "../../src/core/clock.ts";
import {
  type Fault,
  type FaultRule,
  type ProviderId,
  presetNames,
  resolveScenario,
  ruleApplies,
  sampleLatency,
  seededRandom,
} from "./faults.ts";
import { FileStore } from "./files.ts";
import { ImageUpscaler } from "./images.ts";
import { Journal } from "./journal.ts";
import { OutputStore } from "./outputs.ts";
import {
  defaultLimits,
  type ImagesMode,
  type LatencyMode,
  type NamespaceState,
  type ProviderDefinition,
  type Route,
  type RouteContext,
  type SimulatorLimits,
  type SimulatorServices,
} from "./provider.ts";
import { TrafficRates } from "./rates.ts";
import { type RouteMatch, Router } from "./router.ts";
import { SharedNamespaces } from "./shared-namespaces.ts";
import { bodyText, hang, reset, type SimRequest, type SimResponse } from "./sim-http.ts";
import type { StateStore } from "./store/state-store.ts";
import { type Progress, type Task, TaskStore, type TaskView } from "./tasks.ts";
import { createEd25519Signer, type Ed25519Signer } from "./webhook-signing.ts";
import { type WebhookChaos, WebhookDispatcher, type WebhookSender } from "./webhooks.ts";

export const defaultNamespace = "default";
/** How long a `--latency none` task holds each state when nobody polls it (ms of clock time). */
export const defaultStateHoldMs = 1_000;
export const scenarioHeader = "x-mock-scenario";
/** Marks answers about the harness itself (not the provider), e.g. an unknown scenario name. */
export const harnessErrorHeader = "x-mock-error";

export interface SimulatorOptions {
  /** The clock of the default namespace (default: real time). */
  clock?: Clock;
  /** Per provider (or "*") scenario: preset names (`"outage,slow"`) or rules. */
  scenarios?: Partial<Record<ProviderId | "*", string | FaultRule[]>>;
  seed?: number;
  latency?: LatencyMode;
  images?: ImagesMode;
  /** How tasks advance; default `time`, or `polls` with `latency: "none"`. */
  progress?: Progress;
  /**
   * With `polls` progress: how long each task state lasts when nobody polls (ms of the clock),
   * so tasks and their webhooks finish unpolled. Default 1 000: longer than the 500 ms the
   * official clients poll at, so they still see each state. 0: tasks move only when polled.
   */
  stateHoldMs?: number;
  webhookSecret?: string;
  signer?: Ed25519Signer;
  /** Overrides of the shared limits, and of each provider's own (`providers.<id>.<name>`). */
  limits?: Partial<Omit<SimulatorLimits, "providers">> & {
    providers?: Partial<Record<string, Record<string, number>>>;
  };
  webhookSender?: WebhookSender;
  allowWebhookUrl?: (url: URL) => boolean;
  maxTasksPerNamespace?: number;
  journalCapacity?: number;
  /**
   * How many namespaces are kept (default 500). A new one beyond it forgets the least recently
   * used namespace (never `default`), so a client inventing a namespace per request cannot grow
   * memory without bound.
   */
  maxNamespaces?: number;
  /** Provider settings for every namespace, e.g. `{ "chainhub.mode": "passthrough" }`. */
  settings?: Record<string, string>;
  /**
   * A state store shared with other replicas (see docs/deployment.md): scenarios, attempt
   * counts and resets then hold across every simulator on it. Without one, all state stays here.
   */
  store?: StateStore;
}

/** One request as a transport hands it over. */
export interface Dispatch {
  provider: ProviderId;
  host: string;
  req: SimRequest;
  namespace?: string;
  /** Absolute URL of `path` on `host` of this provider, as this transport serves it. */
  url(host: string, path: string): string;
  /** The transport's inverse of `url`: which provider/host/path a URL is, if it is ours. */
  resolveOwn(url: string): { provider: ProviderId; host: string; path: string } | undefined;
  /** The route, when the transport already matched it with `route()`. */
  match?: RouteMatch;
}

/** One request and its answer, as listeners (dashboard, logs, conformance checks) see it. */
export interface Exchange {
  namespace: string;
  provider: ProviderId;
  operation: string;
  req: SimRequest;
  response: SimResponse;
}

/** Listeners for the dashboard and logs. */
export interface SimulatorEvents {
  onExchange?: (exchange: Exchange) => void;
  onTaskTransition?: (namespace: string, task: Task, view: TaskView) => void;
}

export class Simulator {
  readonly services: SimulatorServices;
  readonly providers: Map<ProviderId, ProviderDefinition>;
  readonly #routers = new Map<ProviderId, Router>();
  /** Every provider's own credential headers, so the journal never keeps a key in clear. */
  readonly #credentialHeaders: ReadonlySet<string>;
  readonly #namespaces = new Map<string, NamespaceState>();
  readonly #options: SimulatorOptions;
  readonly #defaultClock: Clock;
  readonly #progress: Progress;
  /** `options.scenarios`, resolved once. */
  readonly #optionRules: Partial<Record<string, FaultRule[]>>;
  /**
   * Each namespace's scenario rules beside the spec they were resolved from: `ns.scenarios` keeps
   * the specs as given (the admin API shows them), and requests must not re-parse them.
   */
  readonly #resolved = new WeakMap<NamespaceState, Map<string, { spec: string; rules: FaultRule[] }>>();
  readonly events: SimulatorEvents = {};
  /** Requests and errors per provider per second, for the dashboard's charts. */
  readonly rates = new TrafficRates();
  /** Present with a shared store; then the namespaces' scenarios and counts live there. */
  readonly #shared: SharedNamespaces | undefined;
  /** Shared-store writes under way, and the last one's failure, for `settle()`. */
  readonly #writes = new Set<Promise<void>>();
  #writeFailure: unknown;

  constructor(definitions: ProviderDefinition[], options: SimulatorOptions = {}) {
    this.#options = options;
    this.#defaultClock = options.clock ?? new RealClock();
    const latency = options.latency ?? "realistic";
    this.#progress = options.progress ?? (latency === "none" ? "polls" : "time");
    this.#optionRules = Object.fromEntries(
      Object.entries(options.scenarios ?? {}).map(([key, spec]) => [key, resolveScenario(spec).rules]),
    );
    const files = new FileStore();
    this.services = {
      latency,
      images: new ImageUpscaler(),
      files,
      outputs: new OutputStore(files, options.images ?? "eager"),
      signer: options.signer ?? createEd25519Signer(),
      webhookSecret: options.webhookSecret ?? randomBytes(24).toString("base64url"),
      linkSecret: randomBytes(16).toString("hex"),
      limits: limitsOf(definitions, options.limits),
    };
    this.providers = new Map(definitions.map((d) => [d.id, d]));
    this.#credentialHeaders = new Set(definitions.flatMap((d) => d.credentialHeaders ?? []));
    for (const definition of definitions) this.#routers.set(definition.id, new Router(definition.routes));
    this.#shared =
      options.store &&
      new SharedNamespaces(options.store, {
        local: (name) => this.#namespaces.get(name),
        onReset: (name) => this.#resetHere(name),
      });
  }

  /** The shared state store, when this simulator is one replica of several. */
  get store(): StateStore | undefined {
    return this.#shared?.store;
  }

  /**
   * Resolves once every scenario change and reset made so far is in the shared store (at once
   * without one); rejects with the store's error when one could not be written.
   */
  async settle(): Promise<void> {
    await Promise.all(this.#writes);
    const failure = this.#writeFailure;
    this.#writeFailure = undefined;
    if (failure) throw failure;
  }

  /** The namespace, once it holds what the shared store knows of it (at once without a store). */
  async synced(name: string = defaultNamespace): Promise<NamespaceState> {
    const ns = this.namespace(name);
    await this.#shared?.ready(ns);
    return ns;
  }

  /** Stops listening to other replicas (the store itself belongs to whoever opened it). */
  async close(): Promise<void> {
    await this.#shared?.stop();
  }

  #write(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => {
      this.#writeFailure = error;
    });
    this.#writes.add(tracked);
    void tracked.finally(() => this.#writes.delete(tracked));
  }

  namespace(name: string = defaultNamespace): NamespaceState {
    let ns = this.#namespaces.get(name);
    if (ns) {
      // Map order is recency order: the least recently used namespace is evicted first.
      if (name !== defaultNamespace) {
        this.#namespaces.delete(name);
        this.#namespaces.set(name, ns);
      }
      return ns;
    }
    this.#evictNamespaces();
    const clock = name === defaultNamespace ? this.#defaultClock : this.#clockForNewNamespace();
    const state: NamespaceState = {
      name,
      clock,
      tasks: undefined as unknown as TaskStore,
      journal: new Journal(this.#options.journalCapacity ?? 1_000, undefined, this.#credentialHeaders),
      webhooks: new WebhookDispatcher({
        clock,
        ...(this.#options.webhookSender ? { send: this.#options.webhookSender } : {}),
        ...(this.#options.allowWebhookUrl ? { allowUrl: this.#options.allowWebhookUrl } : {}),
      }),
      scenarios: new Map(),
      attempts: new Map(),
      random: seededRandom((this.#options.seed ?? 1) ^ hashString(name)),
      settings: new Map(Object.entries(this.#options.settings ?? {})),
      providerState: new Map(),
    };
    state.tasks = new TaskStore({
      clock,
      namespace: name,
      progress: this.#progress,
      holdMs: this.#options.stateHoldMs ?? defaultStateHoldMs,
      maxTasks: this.#options.maxTasksPerNamespace ?? 10_000,
      onTransition: (task, view) => {
        const chaos = this.#webhookChaos(state, task.provider);
        this.providers
          .get(task.provider)
          ?.onTaskTransition?.({ ns: state, task, view, sim: this.services, ...(chaos ? { chaos } : {}) });
        this.events.onTaskTransition?.(name, task, view);
      },
    });
    ns = state;
    this.#namespaces.set(name, ns);
    return ns;
  }

  namespaces(): string[] {
    return [...this.#namespaces.keys()];
  }

  /** Keeps the namespace count under `maxNamespaces` by forgetting the least recently used ones. */
  #evictNamespaces(): void {
    const max = Math.max(1, this.#options.maxNamespaces ?? 500);
    for (const name of this.#namespaces.keys()) {
      if (this.#namespaces.size < max) return;
      if (name === defaultNamespace) continue;
      // Only this process forgets it: other replicas (and the shared store) keep theirs.
      this.#resetHere(name);
      this.#namespaces.delete(name);
    }
  }

  /** Sets the scenario of a namespace for one provider (or "*"); returns unknown preset names. */
  setScenario(namespace: string, provider: ProviderId | "*", spec: string): string[] {
    const { rules, unknown } = resolveScenario(spec);
    if (unknown.length > 0) return unknown;
    const ns = this.namespace(namespace);
    ns.scenarios.set(provider, spec);
    this.#resolvedOf(ns).set(provider, { spec, rules });
    for (const key of [...ns.attempts.keys()])
      if (provider === "*" || key.startsWith(`${provider}:`)) ns.attempts.delete(key);
    if (this.#shared) this.#write(this.#shared.setScenario(namespace, provider, spec));
    return [];
  }

  clearScenario(namespace: string, provider?: ProviderId | "*"): void {
    const ns = this.namespace(namespace);
    if (provider) ns.scenarios.delete(provider);
    else ns.scenarios.clear();
    ns.attempts.clear();
    if (this.#shared)
      this.#write(
        provider
          ? this.#shared.setScenario(namespace, provider, undefined)
          : this.#shared.clearScenarios(namespace),
      );
  }

  /** Forgets a namespace's tasks, scenarios, journal, deliveries and files (on every replica). */
  reset(namespace?: string): void {
    this.#resetHere(namespace);
    if (this.#shared)
      this.#write(this.#shared.reset(namespace ? [namespace] : this.namespaces(), namespace === undefined));
  }

  /** Forgets what this process holds of a namespace (or of all). */
  #resetHere(namespace?: string): void {
    const names = namespace ? [namespace] : [...this.#namespaces.keys()];
    for (const name of names) {
      const ns = this.#namespaces.get(name);
      if (!ns) continue;
      ns.tasks.clear();
      ns.journal.clear();
      ns.webhooks.clearNamespace(name);
      ns.scenarios.clear();
      ns.attempts.clear();
      ns.providerState.clear();
      this.services.files.clearNamespace(name);
      this.services.outputs.clearNamespace(name);
    }
  }

  /**
   * The scenario rules in force for a request: simulator, then namespace, then the request
   * header's (already resolved, once per request).
   */
  #rulesFor(ns: NamespaceState, provider: ProviderId, headerRules: FaultRule[] = []): FaultRule[] {
    // Most specific first, so the first matching fault of a kind is the one the caller chose last.
    return [
      ...headerRules,
      ...this.#namespaceRules(ns, provider),
      ...this.#namespaceRules(ns, "*"),
      ...(this.#optionRules[provider] ?? []),
      ...(this.#optionRules["*"] ?? []),
    ];
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

  #resolvedOf(ns: NamespaceState): Map<string, { spec: string; rules: FaultRule[] }> {
    let resolved = this.#resolved.get(ns);
    if (!resolved) {
      resolved = new Map();
      this.#resolved.set(ns, resolved);
    }
    return resolved;
  }

  /**
   * The route for a request, matched once by a transport that needs it before the body is read
   * (for its limit) and handed back in `Dispatch.match`, so the hot path does not match twice.
   */
  route(provider: ProviderId, host: string, method: string, path: string): RouteMatch | undefined {
    return this.#match(provider, host, method, path);
  }

  /**
   * The largest body a route reads: its own `maxBodyBytes`, else `limits.maxJsonBytes`.
   * Transports stop reading a body as soon as it passes this.
   */
  bodyLimit(match: RouteMatch | undefined): number {
    return match?.route.maxBodyBytes?.(this.services.limits) ?? this.services.limits.maxJsonBytes;
  }

  /**
   * The route for a request. A path whose escapes do not decode (`%zz`) still names its route,
   * with the parameter taken literally, so the handler answers in the provider's own words (and
   * after the credentials are checked) instead of the generic not-found.
   */
  #match(provider: ProviderId, host: string, method: string, path: string) {
    const router = this.#routers.get(provider);
    if (!router) return undefined;
    return (
      router.match(host, method, path) ??
      (path.includes("%") ? router.match(host, method, path.replaceAll("%", "%25")) : undefined)
    );
  }

  /**
   * The provider's own answer to a request whose body passed `limit` (the transport stopped
   * reading it), journaled like any other answer. `dispatch.req.body` holds what was read, if any.
   */
  refuseBody(dispatch: Dispatch, limit: number): SimResponse {
    const started = performance.now();
    const definition = this.providers.get(dispatch.provider);
    if (!definition)
      throw new Error(`Failed to route: provider "${dispatch.provider}" is not enabled in this simulator.`);
    const { req } = dispatch;
    const route = (dispatch.match ?? this.#match(dispatch.provider, dispatch.host, req.method, req.path))
      ?.route;
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
    this.#record(this.namespace(dispatch.namespace), dispatch, route.operation, response, started, [
      "body-too-large",
    ]);
    return response;
  }

  async handle(dispatch: Dispatch): Promise<SimResponse> {
    const started = performance.now();
    const definition = this.providers.get(dispatch.provider);
    const ns = this.namespace(dispatch.namespace);
    const { req } = dispatch;
    if (!definition)
      throw new Error(`Failed to route: provider "${dispatch.provider}" is not enabled in this simulator.`);
    const match = dispatch.match ?? this.#match(dispatch.provider, dispatch.host, req.method, req.path);
    if (!match) return definition.notFound(req);

    const { route } = match;
    // The route's limit is checked here so every transport answers an oversize body alike. The
    // node server refuses earlier, while the body streams in, and never hands one over.
    const limit = this.bodyLimit(match);
    if (req.body.byteLength > limit) return this.#refuse(definition, dispatch, route, limit, started);
    const fired: string[] = [];
    let taskId: string | undefined;
    const header = req.headers[scenarioHeader];
    const fromHeader = header ? resolveScenario(header) : undefined;
    const unknown = fromHeader?.unknown ?? [];
    const response = await (async (): Promise<SimResponse> => {
      if (unknown.length > 0) {
        // A mistake in the harness's own header, not provider behaviour: answered in the
        // provider's error shape (clients can parse it) and marked so no spec check counts it.
        const refusal = definition.faultResponse(
          {
            kind: "error",
            status: 400,
            message: `Unknown scenario preset(s) in x-mock-scenario: ${unknown.join(", ")}. Known: ${presetNames.join(", ")}.`,
          },
          { route, req },
        );
        return { ...refusal, headers: { ...refusal.headers, [harnessErrorHeader]: "unknown-scenario" } };
      }
      const attemptKey = `${dispatch.provider}:${route.phase}`;
      const attempt = this.#shared
        ? await this.#sharedAttempt(this.#shared, ns, attemptKey)
        : this.#localAttempt(ns, attemptKey);
      const now = ns.clock.now();
      const faults = this.#rulesFor(ns, dispatch.provider, fromHeader?.rules)
        .filter((rule) => ruleApplies(rule, dispatch.provider, route.phase, attempt, now))
        .map((rule) => rule.fault);

      let delay = 0;
      for (const fault of faults)
        if (fault.kind === "latency") delay += sampleLatency(fault.latency, ns.random);
      if (delay > 0) {
        fired.push("latency");
        await ns.clock.sleep(delay);
      }
      for (const fault of faults) {
        if (fault.kind === "hang" || fault.kind === "reset") {
          fired.push(fault.kind);
          return fault.kind === "hang" ? hang() : reset();
        }
      }
      const shortCircuit = faults.find((fault) => shortCircuits(fault, ns.random));
      if (shortCircuit) {
        fired.push(shortCircuit.kind);
        return definition.faultResponse(shortCircuit, { route, req });
      }
      if (route.auth !== false) {
        const denied = definition.authenticate(req);
        if (denied) return denied;
      }
      const ctx: RouteContext = {
        provider: dispatch.provider,
        req,
        params: match.params,
        route,
        ns,
        sim: this.services,
        faults: faults.filter((f) => taskLevel.has(f.kind)),
        url: dispatch.url,
        fetchOwn: (url) => this.#fetchOwn(dispatch, url),
        work: (ms) => (this.services.latency === "none" || ms <= 0 ? Promise.resolve() : ns.clock.sleep(ms)),
        noteTask: (id) => {
          taskId = id;
        },
      };
      for (const fault of ctx.faults) fired.push(fault.kind);
      let answer = await route.handle(ctx);
      const malformed = faults.find((f) => f.kind === "malformed");
      if (malformed && answer.status < 300) {
        fired.push("malformed");
        answer = malform(answer, malformed.mode ?? "shape");
      }
      const slow = faults.find((f) => f.kind === "slow-body");
      if (slow) {
        fired.push("slow-body");
        answer = { ...answer, transport: { kind: "slow", bytesPerSecond: slow.bytesPerSecond } };
      }
      return answer;
    })();

    this.#record(ns, dispatch, route.operation, response, started, fired, taskId);
    return response;
  }

  /** This request's attempt number in (namespace, provider, phase) in this process. */
  #localAttempt(ns: NamespaceState, key: string): number {
    const attempt = (ns.attempts.get(key) ?? 0) + 1;
    ns.attempts.set(key, attempt);
    return attempt;
  }

  /** The same, counted across every replica, once the namespace's shared scenarios are here. */
  async #sharedAttempt(shared: SharedNamespaces, ns: NamespaceState, key: string): Promise<number> {
    await shared.ready(ns);
    return shared.attempt(ns.name, key);
  }

  #record(
    ns: NamespaceState,
    dispatch: Dispatch,
    operation: string,
    response: SimResponse,
    started: number,
    fired: string[],
    taskId?: string,
  ): void {
    const { req } = dispatch;
    const excerpt = response.status >= 400 ? bodyText(response.body)?.slice(0, 300) : undefined;
    const status = response.transport && response.status === 0 ? 0 : response.status;
    ns.journal.record(
      {
        time: ns.clock.now(),
        provider: dispatch.provider,
        operation,
        method: req.method,
        path: req.path,
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        headers: req.headers,
        requestBytes: req.body.byteLength,
        faults: fired,
        ...(taskId ? { taskId } : {}),
        ...(excerpt ? { responseExcerpt: excerpt } : {}),
      },
      { host: dispatch.host, query: req.query, requestBody: req.body, response },
    );
    this.rates.count(dispatch.provider, status);
    this.events.onExchange?.({ namespace: ns.name, provider: dispatch.provider, operation, req, response });
  }

  /** The webhook-phase chaos in force for the next delivery of a provider in a namespace. */
  #webhookChaos(ns: NamespaceState, provider: ProviderId): WebhookChaos | undefined {
    const key = `${provider}:webhook`;
    const attempt = (ns.attempts.get(key) ?? 0) + 1;
    ns.attempts.set(key, attempt);
    const now = ns.clock.now();
    for (const rule of this.#rulesFor(ns, provider)) {
      if (rule.fault.kind === "webhook-chaos" && ruleApplies(rule, provider, "webhook", attempt, now)) {
        const { kind: _kind, ...chaos } = rule.fault;
        return chaos;
      }
    }
    return undefined;
  }

  async #fetchOwn(
    dispatch: Dispatch,
    url: string,
  ): Promise<{ data: Uint8Array; contentType: string } | undefined> {
    const own = dispatch.resolveOwn(url);
    if (!own) return undefined;
    const definition = this.providers.get(own.provider);
    if (!definition) return undefined;
    const parsed = new URL(url);
    const match = this.#routers.get(own.provider)!.match(own.host, "GET", own.path);
    if (match?.route.phase !== "download") return undefined;
    const req: SimRequest = {
      method: "GET",
      path: own.path,
      query: parsed.searchParams,
      headers: {},
      body: new Uint8Array(),
    };
    const ns = this.namespace(dispatch.namespace);
    const answer = await match.route.handle({
      provider: own.provider,
      req,
      params: match.params,
      route: match.route,
      ns,
      sim: this.services,
      faults: [],
      url: dispatch.url,
      fetchOwn: async () => undefined,
      work: async () => {},
      noteTask: () => {},
    });
    if (answer.status !== 200 || answer.body.kind !== "bytes") return undefined;
    return {
      data: answer.body.value,
      contentType: answer.headers["content-type"] ?? "application/octet-stream",
    };
  }

  #clockForNewNamespace(): Clock {
    return this.#defaultClock instanceof VirtualClock
      ? new VirtualClock({ start: this.#defaultClock.now(), autoAdvance: this.#defaultClock.autoAdvance })
      : this.#defaultClock;
  }
}

const taskLevel = new Set<Fault["kind"]>([
  "stuck",
  "task-failure",
  "no-credit",
  "expired-urls",
  "webhook-chaos",
]);

/** Faults answered by the provider instead of the handler. no-credit is task-level for Freepik. */
function shortCircuits(fault: Fault, random: () => number): boolean {
  switch (fault.kind) {
    case "error":
    case "rate-limit":
    case "outage":
    case "auth-failure":
      return true;
    case "flaky":
      return random() < fault.probability;
    default:
      return false;
  }
}

function malform(answer: SimResponse, mode: "shape" | "truncated"): SimResponse {
  if (answer.body.kind !== "json") return answer;
  if (mode === "truncated") {
    const text = JSON.stringify(answer.body.value);
    return {
      ...answer,
      body: { kind: "text", value: text.slice(0, Math.max(1, Math.floor(text.length / 2))) },
    };
  }
  const value = answer.body.value;
  const broken =
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.keys(value).map((key) => [key, null]))
      : { unexpected: value };
  return { ...answer, body: { kind: "json", value: broken } };
}

function hashString(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** The shared limits and each provider's own: defaults from the definitions, then the overrides. */
function limitsOf(
  definitions: ProviderDefinition[],
  overrides: SimulatorOptions["limits"] = {},
): SimulatorLimits {
  const { providers: providerOverrides = {}, ...shared } = overrides;
  const providers = Object.fromEntries(
    definitions.map((d) => [d.id, { ...d.limits, ...providerOverrides[d.id] }]),
  );
  return { ...defaultLimits, ...shared, providers };
}
