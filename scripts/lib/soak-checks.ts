/**
 * The soak's end-of-run checks, read back from the server: every accepted task still answers in
 * a final state (unless the task cap pushed it out), and every webhook delivery ends delivered or
 * given up after all its attempts.
 */
import { rawRequest } from "./fuzz-transport.ts";
import type { SoakClient } from "./soak-client.ts";
import type { SoakReport } from "./soak-report.ts";

/**
 * Every accepted task still answers, in a final state, unless the namespace's task cap has
 * pushed it out: the store keeps the newest `taskCap` tasks and evicts the oldest finished one
 * first, so every task among the newest (cap − workers) of its namespace must answer, and the
 * older ones may be gone only when the namespace accepted more than the cap.
 */
export async function checkTasks(
  client: SoakClient,
  namespaces: string[],
  taskCap: number,
  workers: number,
  failures: string[],
): Promise<SoakReport["tasks"]> {
  let retrievable = 0;
  let evicted = 0;
  let notRetrievable = 0;
  for (const ns of namespaces) {
    const mine = client.accepted.filter((task) => task.ns === ns);
    const guaranteed = Math.max(0, taskCap - workers);
    for (let i = 0; i < mine.length; i += 32) {
      await Promise.all(
        mine.slice(i, i + 32).map(async (task, j) => {
          const answer = await rawRequest(
            client.agent,
            "GET",
            new URL(task.url, client.base),
            undefined,
            { ...task.headers, "x-mock-namespace": ns },
            new Uint8Array(),
            30_000,
          ).catch(() => undefined);
          const text = answer?.body.kind === "text" ? answer.body.value : "";
          const newest = mine.length - (i + j) <= guaranteed;
          if (answer?.status === 200 && /"(COMPLETED|FAILED|succeed|failed)"/.test(text)) retrievable++;
          else if (answer?.status === 404 && !newest) evicted++;
          else notRetrievable++;
        }),
      );
    }
    if (mine.length <= guaranteed && mine.length > 0 && evicted > 0)
      failures.push(
        `Tasks were evicted in ${ns} although it held ${mine.length}, under the cap of ${taskCap}.`,
      );
  }
  if (notRetrievable > 0)
    failures.push(
      `${notRetrievable} of ${client.accepted.length} accepted tasks within the task cap were not retrievable in a final state.`,
    );
  return { accepted: client.accepted.length, retrievable, evicted, notRetrievable, cap: taskCap };
}

interface Delivery {
  provider: string;
  url: string;
  state: string;
  attempts: Array<{ status?: number }>;
}

/** Each provider's number of delivery attempts before it gives up. */
const maxAttempts: Record<string, number> = { freepik: 6, fal: 10 };

/** Moves each clock on until no delivery is pending (every retry schedule runs out), then counts. */
export async function settleWebhooks(
  client: SoakClient,
  namespaces: string[],
  failures: string[],
): Promise<Pick<SoakReport["webhooks"], "total" | "delivered" | "gaveUp" | "unsettled">> {
  const deliveriesOf = async () =>
    (await Promise.all(namespaces.map((ns) => client.admin("GET", `webhooks?namespace=${ns}`)))).flatMap(
      (answer) => answer.deliveries as Delivery[],
    );
  let deliveries = await deliveriesOf();
  for (let round = 0; round < 40 && deliveries.some((d) => d.state === "pending"); round++) {
    for (const ns of namespaces)
      await client.admin("POST", "clock/advance", { namespace: ns, ms: 2 * 3600_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    deliveries = await deliveriesOf();
  }
  let delivered = 0;
  let gaveUp = 0;
  let unsettled = 0;
  for (const d of deliveries) {
    if (d.state === "delivered") delivered++;
    else if (
      d.state === "gave-up" &&
      d.attempts.length === maxAttempts[d.provider] &&
      d.attempts.every((a) => a.status === 500) &&
      d.url.includes("/fail")
    )
      gaveUp++;
    else unsettled++;
  }
  if (unsettled > 0)
    failures.push(`${unsettled} webhook deliveries neither delivered nor given up after all their attempts.`);
  if (deliveries.length === 0) failures.push("No webhook was sent: the soak did not exercise webhooks.");
  return { total: deliveries.length, delivered, gaveUp, unsettled };
}
