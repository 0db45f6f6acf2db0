/**
 * `npm run bench:app`: a load test of the inventory app as an instance serves it — Apache 2.4 +
 * php-fpm configured from the rendered user data (the test harness in __tests__/helpers), MariaDB
 * with TLS and `max_connections` set to the connection budget of one instance (its php-fpm pool
 * plus the administration headroom), the IMDS/Secrets Manager stub — driven on 127.0.0.1 by
 * autocannon with a bounded number of clients for a bounded time. Half the requests add an item
 * (POST /items, a fresh request token each), half read one (GET /items/1/edit).
 *
 * Two runs:
 *   1. capacity: `--connections` clients for `--duration` seconds; every request must succeed.
 *   2. restart: the same load, with MariaDB stopped for OUTAGE_MS and started again a third of the
 *      way in; every acknowledged write (303) must be in the database afterwards, and the app must
 *      serve the list page again within RECOVERY_LIMIT_MS of the database being back.
 * Prints throughput, p50/p99 latency and errors per run; exits non-zero if a criterion fails.
 * (Failures are counted per run, not per kind of request: after a dropped connection autocannon's
 * per-request callbacks can be attributed to the wrong entry of `requests`. A 303 still names its
 * own token: a connection has one request in flight and only a POST sets the token.)
 *
 * Usage: node dist/scripts/bench-app.js [--connections N] [--duration S] [--workers N]
 *   (default: 16 clients = 2 per worker, 20 s, 8 workers = the pool of lab's t3.micro instances)
 */
import * as crypto from "crypto";
import { ADMIN_CONNECTION_HEADROOM } from "../lib/connection-budget";
import { defaultMaxChildren } from "../modules/inventory-app";
import { missingDeps } from "../__tests__/helpers/inventory-app/programs";
import { FormClient } from "../__tests__/helpers/inventory-app/client";
import { sleep, waitFor } from "../__tests__/helpers/inventory-app/net";
import { DB_NAME, Stack, STACK_PHP_EXTENSIONS, STACK_PROGRAMS } from "../__tests__/helpers/inventory-app/stack";

// autocannon 9 ships no type declarations; this is the part of its API used here.
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require("autocannon") as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const RECOVERY_LIMIT_MS = 30000;
const OUTAGE_MS = 1500;
/** A request may wait for the app's own retries through the outage, but never hang the bench. */
const REQUEST_TIMEOUT_S = 30;
const MAX_CONNECTIONS_ALLOWED = 256;
const MAX_DURATION_S = 300;

function option(name: string, fallback: number, max: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  return value;
}

interface RunFigures {
  readonly name: string;
  readonly result: AutocannonResult;
  /** Responses other than 200 (read) and 303 (write acknowledged), plus socket errors and timeouts. */
  readonly failed: number;
  readonly statuses: Record<string, number>;
  readonly acknowledged: Set<string>;
}

async function drive(name: string, url: string, client: FormClient, connections: number, duration: number, during?: () => Promise<void>): Promise<RunFigures> {
  const acknowledged = new Set<string>();
  const headers = { "content-type": "application/x-www-form-urlencoded", cookie: `inventory_csrf=${client.csrfCookie}` };
  const requests: AutocannonRequest[] = [
    {
      method: "POST",
      path: "/items",
      headers,
      setupRequest: (req, context) => {
        const token = crypto.randomBytes(16).toString("hex");
        context.token = token;
        const body = new URLSearchParams({ csrf_token: client.csrfToken, request_token: token, store: "Bench", item: `item-${token}`, quantity: "1" });
        return { ...req, body: body.toString() };
      },
      onResponse: (status, _body, context) => {
        if (status === 303) acknowledged.add(String(context.token));
      },
    },
    { method: "GET", path: "/items/1/edit" },
  ];
  const run = autocannon({ url, connections, duration, requests, timeout: REQUEST_TIMEOUT_S, pipelining: 1 });
  if (during) await during();
  const result = await run;
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  const bad = Object.entries(statuses)
    .filter(([code]) => code !== "200" && code !== "303")
    .reduce((sum, [, n]) => sum + n, 0);
  return { name, result, failed: bad + result.errors + result.timeouts, statuses, acknowledged };
}

async function main(): Promise<number> {
  const workers = option("workers", defaultMaxChildren("t3.micro"), 500);
  const connections = option("connections", 2 * workers, MAX_CONNECTIONS_ALLOWED);
  const duration = option("duration", 20, MAX_DURATION_S);
  const missing = missingDeps(STACK_PROGRAMS, STACK_PHP_EXTENSIONS);
  if (missing.length > 0) throw new Error(`missing ${missing.join(", ")}; run bash .ci/install-workload-deps.sh as root`);

  const stack = new Stack();
  // One instance's share of the budget: its pool, plus the headroom kept for administration.
  const budget = workers + ADMIN_CONNECTION_HEADROOM;
  stack.db.maxConnections = budget;
  const failures: string[] = [];
  const lines: string[] = [];
  try {
    await stack.start({}, workers);
    const client = new FormClient(stack.app.url);
    await client.login();
    if ((await client.add("Bench", "seed", "1")).status !== 303) throw new Error("could not add the seed item");

    const capacity = await drive("capacity", stack.app.url, client, connections, duration);
    if (capacity.failed > 0) failures.push(`capacity run: ${capacity.failed} failed requests (${JSON.stringify(capacity.statuses)})`);

    let recoveredMs = -1;
    const restart = await drive("MariaDB restart", stack.app.url, client, connections, duration, async () => {
      await sleep((duration * 1000) / 3);
      await stack.db.stop();
      await sleep(OUTAGE_MS);
      await stack.db.start();
      const upAt = Date.now();
      await waitFor("the list page to work again", async () => (await fetch(`${stack.app.url}/`, { signal: AbortSignal.timeout(RECOVERY_LIMIT_MS) })).status === 200, RECOVERY_LIMIT_MS, 50);
      recoveredMs = Date.now() - upAt;
    });
    const stored = new Set((await stack.db.sql(`SELECT request_token FROM \`${DB_NAME}\`.inventory`)).map(([t]) => t));
    const lost = [...capacity.acknowledged, ...restart.acknowledged].filter((t) => !stored.has(t));
    if (lost.length > 0) failures.push(`${lost.length} acknowledged writes are not in the database`);
    if (recoveredMs < 0 || recoveredMs >= RECOVERY_LIMIT_MS) failures.push(`recovery took ${recoveredMs} ms (limit ${RECOVERY_LIMIT_MS})`);

    lines.push(
      `inventory app on Apache + php-fpm (pm.max_children ${workers}), MariaDB max_connections ${budget}, ` +
        `${connections} clients, ${duration} s per run, half writes (POST /items) and half reads (GET /items/1/edit)`,
      "",
      "| run | requests | throughput (req/s) | p50 latency (ms) | p99 latency (ms) | failed requests | acknowledged writes lost |",
      "|---|---|---|---|---|---|---|",
    );
    for (const r of [capacity, restart]) {
      const lostHere = [...r.acknowledged].filter((t) => !stored.has(t)).length;
      lines.push(`| ${r.name} | ${r.result.requests.total} | ${r.result.requests.average.toFixed(0)} | ${r.result.latency.p50} | ${r.result.latency.p99} | ${r.failed} | ${lostHere} |`);
    }
    lines.push("", `MariaDB stopped for ${OUTAGE_MS} ms during the restart run; the list page answered again ${recoveredMs} ms after it was back (limit ${RECOVERY_LIMIT_MS} ms).`);
    lines.push(`Status codes: capacity ${JSON.stringify(capacity.statuses)}, restart ${JSON.stringify(restart.statuses)}.`);
  } finally {
    await stack.destroy();
  }
  process.stdout.write(lines.join("\n") + "\n");
  if (failures.length > 0) process.stderr.write(`bench:app: FAILED: ${failures.join("; ")}\n`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`bench:app: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
