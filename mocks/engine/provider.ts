/**
 * What one provider's definition looks like: its hosts, its route table of pure handlers, and
 * how it says "no" (auth, faults) in its own words. Transports never add behaviour to this.
 */

import type { Clock } from "../../src/core/clock.ts";
import type { Fault, Phase, ProviderId } from "./faults.ts";
import type { FileStore } from "./files.ts";
import type { ImageUpscaler } from "./images.ts";
import type { Journal } from "./journal.ts";
import type { RateLimit, SlotHold } from "./limits.ts";
import type { OutputStore } from "./outputs.ts";
import type { RemoteInput, RemoteInputs } from "./remote-inputs.ts";
import type { SimRequest, SimResponse } from "./sim-http.ts";
import type { SharedTaskAccess } from "./task-access.ts";
import type { Task, TaskStore, TaskView } from "./tasks.ts";
import type { Ed25519Signer } from "./webhook-signing.ts";
import type { SignableDelivery, WebhookChaos, WebhookDispatcher } from "./webhooks.ts";

export type LatencyMode = "realistic" | "none";
export type ImagesMode = "eager" | "lazy";

/** Per-namespace state: nothing here leaks between parallel test runs. */
export interface NamespaceState {
  name: string;
  clock: Clock;
  tasks: TaskStore;
  journal: Journal;
  webhooks: WebhookDispatcher;
  /** Scenario rules set for this namespace, by provider ("*" for all). */
  scenarios: Map<string, string>;
  /** Attempt counters by `provider:phase`. */
  attempts: Map<string, number>;
  random: () => number;
  /** Per-namespace provider settings (e.g. which answer mode the provider uses). */
  settings: Map<string, string>;
  /** Provider-private state, and the engine's rate-limit windows (limits.ts), cleared by reset. */
  providerState: Map<string, unknown>;
}

/** Services and settings shared by every namespace of one simulator. */
export interface SimulatorServices {
  latency: LatencyMode;
  images: ImageUpscaler;
  files: FileStore;
  outputs: OutputStore;
  /** The simulator's Ed25519 key, for providers that sign webhooks with a key pair. */
  signer: Ed25519Signer;
  webhookSecret: string;
  /** Secret for signing result links (for providers whose links carry a signature). */
  linkSecret: string;
  limits: SimulatorLimits;
  /** What inputs named by a URL the simulator does not serve turn into. */
  remoteInputs: RemoteInputs;
  /** With a shared store: tasks as the store holds them (see task-access.ts). */
  sharedTasks?: SharedTaskAccess;
}

export interface SimulatorLimits {
  /** Largest upload per image (bytes); 10 MB, as the providers that take uploads document. */
  maxUploadBytes: number;
  /** Decompression-bomb guard: largest input in pixels, read from the header. */
  maxInputPixels: number;
  /** Largest JSON body (bytes): base64 images make some of them large. */
  maxJsonBytes: number;
  /**
   * Each provider's own limits by name (an output cap, an in-flight limit…): its definition's
   * `limits` (read from its facts), overridden per simulator by `SimulatorOptions.limits`.
   */
  providers: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** Room for the non-file parts and part headers of a multipart upload, above the file limit. */
export const multipartOverheadBytes = 64 * 1024;

export const defaultLimits: SimulatorLimits = {
  maxUploadBytes: 10 * 1024 * 1024,
  maxInputPixels: 64 * 1024 * 1024,
  maxJsonBytes: 40 * 1024 * 1024,
  providers: {},
};

/** The limit `name` of the provider a route belongs to; a definition that declares none is a bug. */
export function providerLimit(ctx: RouteContext, name: string): number {
  const value = ctx.sim.limits.providers[ctx.provider]?.[name];
  if (value === undefined) throw new Error(`${ctx.provider} declares no limit named ${name}`);
  return value;
}

export interface RouteContext {
  provider: ProviderId;
  req: SimRequest;
  params: Record<string, string>;
  route: Route;
  ns: NamespaceState;
  sim: SimulatorServices;
  /** Task-level faults in force for this request (stuck, task-failure, no-credit, expired-urls). */
  faults: Fault[];
  /** The absolute URL for `path` on one of this provider's hosts, as the caller can reach it. */
  url(host: string, path: string): string;
  /** Fetches a URL this simulator itself serves (e.g. a result image); `undefined` for any other URL. */
  fetchOwn(url: string): Promise<{ data: Uint8Array; contentType: string } | undefined>;
  /**
   * The image behind an input URL (or asset path) this simulator does not serve: a fixture, a
   * stand-in, a download, or a refusal (see remote-inputs.ts), journaled and told in the
   * `x-mock-input` header. `undefined` for a URL it serves: the provider answers from its state.
   */
  remoteInput(name: string): Promise<RemoteInput | undefined>;
  /**
   * Takes `count` of the namespace's `limit` slots named `name` (work in flight), counted across
   * replicas on a shared store; `undefined` (nothing taken) when that would go over. Release
   * them once the answer is ready, whatever it is.
   */
  takeSlots(name: string, count: number, limit: number): Promise<SlotHold | undefined>;
  /** Waits on the namespace clock (sync calls that take provider time). */
  work(ms: number): Promise<void>;
  /** Lets the journal link this request to a task. */
  noteTask(taskId: string): void;
  /** Adds a note to this exchange's journal entry: something accepted that a reader should know. */
  note(text: string): void;
}

export interface Route {
  /** Which of the provider's hosts serves it (key of ProviderDefinition.hosts). */
  host: string;
  method: string;
  /** Path pattern with `:name` segments, e.g. `/v1/ai/image-upscaler/:taskId`. */
  path: string;
  /** The spec's operationId. */
  operation: string;
  phase: Phase;
  /** Whether the provider's credentials are required (default true). */
  auth?: boolean;
  /**
   * The handler lists the namespace's tasks of its provider (`ns.tasks.list()`). With a shared
   * store, the newest ones every replica made are loaded before it runs, not only those held here.
   */
  listsTasks?: boolean;
  /**
   * The parameter naming the task whose status this route reads, counting a poll. On a shared
   * store the poll is then counted in the same round trip that loads the task.
   */
  pollsTask?: string;
  /**
   * The largest request body this route reads (default `limits.maxJsonBytes`). Transports stop
   * reading a body as soon as it passes this, so an upload route never buffers more than its limit.
   */
  maxBodyBytes?(limits: SimulatorLimits): number;
  /**
   * The provider's request limit per window for this request (e.g. per API key), or none. The
   * engine enforces it just before the handler, across replicas on a shared store.
   */
  rateLimit?(req: SimRequest, ns: NamespaceState): RateLimit | undefined;
  handle(ctx: RouteContext): Promise<SimResponse> | SimResponse;
}

export interface ProviderDefinition {
  id: ProviderId;
  /** Host key → the real origin (MSW intercepts these; the server maps them to prefixes). */
  hosts: Readonly<Record<string, string>>;
  /** Request headers that carry this provider's key (lower case), redacted in the journal. */
  credentialHeaders?: readonly string[];
  /** The provider's own limits by name, defaults for `SimulatorLimits.providers`. */
  limits?: Readonly<Record<string, number>>;
  /**
   * A request header in which the provider's own client, sent through a proxy URL, names each
   * call's real target; the server routes such a request by that target, on this provider only.
   */
  proxyTargetHeader?: string;
  routes: Route[];
  /** Native 401/403 for missing or wrong credentials; `undefined` when the request may go on. */
  authenticate(req: SimRequest): SimResponse | undefined;
  /** The provider's own answer to a fault that short-circuits the request. */
  faultResponse(fault: Fault, ctx: FaultContext): SimResponse;
  /** The provider's own answer for a path or method it does not serve. */
  notFound(req: SimRequest): SimResponse;
  /**
   * The provider's own answer to a request body over the route's limit (default: its
   * `faultResponse` for an error 413).
   */
  bodyTooLarge?(route: Route, limit: number, req: SimRequest): SimResponse;
  /** Called when one of its tasks changes state (webhooks are sent from here). */
  onTaskTransition?(ctx: TransitionContext): void;
  /**
   * Headers signing one attempt of a webhook it enqueued. Called at each attempt, on whichever
   * replica makes it, so it reads only the delivery and the (shared) secrets in `sim`.
   */
  signWebhook?(sim: SimulatorServices, delivery: SignableDelivery, attemptAt: number): Record<string, string>;
}

export interface TransitionContext {
  ns: NamespaceState;
  task: Task;
  view: TaskView;
  sim: SimulatorServices;
  /** Webhook chaos the scenario asks for on this delivery, if any. */
  chaos?: WebhookChaos;
}

export interface FaultContext {
  route: Route;
  req: SimRequest;
}

export type { Clock, FileStore, ImageUpscaler, Journal };
