/**
 * The simulator's public vocabulary: its options, the request a transport hands over, and what
 * listeners (dashboard, logs) are told. Kept apart from the engine so transports can name these
 * without reaching into how a request is answered.
 */
import type { Clock } from "../../src/core/clock.ts";
import type { FaultRule, ProviderId } from "./faults.ts";
import type { ImagesMode, LatencyMode, SimulatorLimits } from "./provider.ts";
import type { RemoteImagesMode } from "./remote-inputs.ts";
import type { RouteMatch } from "./router.ts";
import type { SimRequest, SimResponse } from "./sim-http.ts";
import type { StateStore } from "./store/state-store.ts";
import type { Progress, Task, TaskView } from "./tasks.ts";
import type { Ed25519Signer } from "./webhook-signing.ts";
import type { WebhookSender } from "./webhooks.ts";

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
  /**
   * Inputs named by a URL the simulator does not serve: a deterministic stand-in image
   * (default), a download from the public internet (`fetch`), or the provider's own error
   * (`refuse`).
   */
  remoteImages?: RemoteImagesMode;
  /** A directory of the user's images for such inputs (see input-fixtures.ts for the mapping). */
  fixtures?: string;
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
  /** Provider settings for every namespace, e.g. `{ "<provider>.mode": "passthrough" }`. */
  settings?: Record<string, string>;
  /**
   * A state store shared with other replicas (see docs/deployment.md): scenarios, attempt
   * counts and resets then hold across every simulator on it. Without one, all state stays here.
   */
  store?: StateStore;
  /**
   * With a store: how long a slot this replica takes (an image in flight) stays taken unless
   * renewed, i.e. how long a replica that dies holding slots keeps them (default 5 s).
   */
  slotLeaseMs?: number;
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
