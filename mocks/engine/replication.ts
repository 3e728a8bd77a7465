/**
 * What a simulator does differently as one replica of several on a shared state store: it
 * agrees on secrets with the others, hears their scenario changes and resets, loads the tasks a
 * request names before the handler runs and writes them back after, shares files and output
 * recipes, counts provider limits with the others, and takes its share of the due jobs (task
 * transitions, webhook attempts). See docs/deployment.md.
 */
import { DueJobs } from "./due-jobs.ts";
import type { NamespaceState, SimulatorServices } from "./provider.ts";
import type { RouteMatch } from "./router.ts";
import { SharedFiles } from "./shared-files.ts";
import { SharedLimits, type SharedRequestLimits } from "./shared-limits.ts";
import { SharedNamespaces } from "./shared-namespaces.ts";
import { adoptSharedSecrets } from "./shared-secrets.ts";
import { type LoadedTask, SharedTasks } from "./shared-tasks.ts";
import { SharedWebhooks } from "./shared-webhooks.ts";
import type { StateStore } from "./store/state-store.ts";
import type { Task, TaskView } from "./tasks.ts";

export interface ReplicaHooks {
  /** A namespace this replica holds, without creating it. */
  local(namespace: string): NamespaceState | undefined;
  /** A namespace, created when this replica has not served it yet. */
  namespace(name: string): NamespaceState;
  /** Another replica (or this one) reset a namespace, or every namespace. */
  onReset(namespace: string | undefined): void;
  /** Tells of a task's new state (webhooks, listeners): called on one replica per state. */
  notify(ns: NamespaceState, task: Task, view: TaskView): void;
}

export class Replication {
  readonly store: StateStore;
  readonly namespaces: SharedNamespaces;
  readonly tasks: SharedTasks;
  /** Provider limits (requests per window, slots in flight) counted with every replica. */
  readonly limits: SharedLimits;
  readonly webhooks: SharedWebhooks;
  readonly #jobs: DueJobs;
  readonly #files: SharedFiles;
  readonly #services: SimulatorServices;
  readonly #given: { webhookSecret: boolean; signer: boolean };
  #ready: Promise<void> | undefined;

  constructor(
    store: StateStore,
    services: SimulatorServices,
    given: { webhookSecret: boolean; signer: boolean; slotLeaseMs?: number | undefined },
    hooks: ReplicaHooks,
  ) {
    this.store = store;
    this.#services = services;
    this.#given = given;
    this.namespaces = new SharedNamespaces(store, { local: hooks.local, onReset: hooks.onReset });
    this.#jobs = new DueJobs(store);
    // A job may name a namespace this replica has not served yet: its virtual clock and
    // settings are loaded before the job reads them.
    const synced = async (name: string) => {
      const ns = hooks.namespace(name);
      await this.namespaces.ready(ns);
      return ns;
    };
    this.tasks = new SharedTasks(store, this.#jobs, { synced, notify: hooks.notify });
    this.webhooks = new SharedWebhooks(store, this.#jobs, {
      replica: this.namespaces.journal.replica,
      events: { synced },
    });
    this.#files = new SharedFiles(store);
    this.limits = new SharedLimits(store, given.slotLeaseMs);
    services.files.replication = this.#files.files;
    services.outputs.replication = {
      ...this.#files.outputs,
      render: (input, recipe) => services.images.upscale(input, recipe),
    };
    services.sharedTasks = { withTask: (ns, id, work) => this.withTask(ns, id, (_, task) => work(task)) };
  }

  /** Resolves once the shared secrets are held and due jobs are being taken (once). */
  ready(): Promise<void> {
    this.#ready ??= adoptSharedSecrets(this.store, this.#services, this.#given).then(() =>
      this.#jobs.start(),
    );
    // The store away: the next request tries again.
    this.#ready.catch(() => {
      this.#ready = undefined;
    });
    return this.#ready;
  }

  /**
   * Before a request's handler: the namespace's scenarios, the tasks its route names (or, for a
   * route that lists them, the provider's newest tasks too) and, at the same time, its count
   * against its route's rate limit.
   */
  async before(
    ns: NamespaceState,
    match: RouteMatch,
    provider: string,
    limits?: SharedRequestLimits,
  ): Promise<Map<string, LoadedTask>> {
    await this.ready();
    await this.namespaces.ready(ns);
    const { route, params } = match;
    const named = Object.values(params);
    const loading = route.listsTasks
      ? this.tasks.loadIndexed(ns, [provider], named)
      : this.tasks.load(ns, named, undefined, route.pollsTask && params[route.pollsTask]);
    const [loaded] = await Promise.all([loading, limits?.count()]);
    return loaded;
  }

  /** The namespace's newest tasks of `providers` (up to `limit` each), held here from now on. */
  async loadListed(ns: NamespaceState, providers: Iterable<string>, limit?: number): Promise<void> {
    await this.ready();
    await this.tasks.loadIndexed(ns, providers, [], limit);
  }

  /**
   * After it: what it changed of those tasks, the task it created, the files it stored and,
   * at the same time, the slots it gave back.
   */
  async after(
    ns: NamespaceState,
    loaded: Map<string, LoadedTask>,
    taskId: string | undefined,
    limits?: SharedRequestLimits,
  ): Promise<void> {
    const saving = this.tasks.saveAfter(ns, loaded, taskId).then(() => this.#files.flush());
    await Promise.all([saving, limits?.settle()]);
  }

  /** Runs `work` on a task as the store holds it, then writes back what it changed. */
  async withTask<T>(
    ns: NamespaceState,
    id: string,
    work: (ns: NamespaceState, task: Task | undefined) => T,
  ): Promise<T> {
    await this.ready();
    const loaded = await this.tasks.load(ns, [id]);
    const result = work(ns, ns.tasks.get(id));
    await this.after(ns, loaded, undefined);
    return result;
  }

  async close(): Promise<void> {
    this.limits.stop();
    await this.#jobs.stop();
    await this.webhooks.stop();
    await this.namespaces.stop();
  }
}
