// Chat benchmark: one room, 100 and 1,000 WebSocket clients on loopback, messages broadcast to all at
// 5 and 50 messages/s, against three servers in one run:
//   - the app's ChatRoom under `wrangler dev --local` (as `npm start` runs it): tickets, hello, every
//     message stored in the object's SQLite before it is acknowledged and broadcast;
//   - a minimal hibernating Durable Object that only relays each frame (bench/minimal-chat/), the
//     platform's floor on the same runtime;
//   - a minimal Node `ws` relay (bench/chat-ws-server.ts), the reference.
// With CHAT_BENCH_SHARDS=1 (the default) the 1,000-client case also runs against the ChatRoom with a
// low shard threshold, so its sockets spread over 4 child objects.
// Usage: node bench/chat.ts [--quick]   (writes its figures under "## Chat" in bench/RESULTS.md)
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { WebSocket } from "ws";
import { verifyEmailThroughOutbox } from "../e2e/api.ts";
import { freePort, runWrangler, StartedProcesses, startWranglerDev } from "../e2e/local-processes.ts";
import { flattenFrames, type ServerFrame } from "../workers/chat/protocol.ts";
import { loadLine, machineLine, recordSection, timestamp } from "./results-file.ts";

const root = path.resolve(import.meta.dirname, "..");
/** `--quick`: one small case per server, to check the benchmark still runs (its figures mean little). */
const QUICK = process.argv.includes("--quick");
const CLIENT_COUNTS = QUICK ? [20] : [100, 1000];
const RATES = QUICK ? [5] : [5, 50];
const SEND_MS = QUICK ? 2_000 : 8_000;
const DRAIN_MS = 5_000;
const SENDERS = 5;
const USERS = 10;
const CONNECT_CONCURRENCY = 20;
const SHARD_THRESHOLD = 250;

const temp = mkdtempSync(path.join(os.tmpdir(), "veza-bench-chat-"));
const started = new StartedProcesses();

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

type Sample = { k: string; t: number };

/** One server under test: how to open a client, what a message looks like on its wire. */
type Target = {
  name: string;
  /** Opens `count` clients in one fresh room. */
  connect(count: number, room: string): Promise<WebSocket[]>;
  encode(sample: Sample): string;
  decode(data: string): Sample[];
};

function openSocket(url: string, isReady: (data: string) => boolean): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error(`no answer from ${url}`)), 30_000);
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const onMessage = (data: Buffer) => {
      if (!isReady(data.toString())) return;
      socket.off("message", onMessage);
      clearTimeout(timer);
      resolve(socket);
    };
    socket.on("message", onMessage);
    socket.once("open", () => {
      if (isReady("")) {
        socket.off("message", onMessage);
        clearTimeout(timer);
        resolve(socket);
      }
    });
  });
}

async function inParallel<T>(count: number, limit: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await make(i);
      }
    }),
  );
  return results;
}

const relayWire = {
  encode: (sample: Sample) => JSON.stringify(sample),
  decode: (data: string): Sample[] => [JSON.parse(data) as Sample],
};

function relayTarget(name: string, url: (room: string) => string): Target {
  return {
    name,
    connect: (count, room) => inParallel(count, CONNECT_CONCURRENCY, () => openSocket(url(room), () => true)),
    ...relayWire,
  };
}

async function api(base: string, method: string, route: string, token?: string, body?: unknown) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<any>;
}

async function chatRoomTarget(name: string, base: string): Promise<Target> {
  const tag = randomBytes(3).toString("hex");
  const tokens: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const email = `bench${i}_${tag}@example.test`;
    const { accessToken } = await api(base, "POST", "/api/v1/auth/register", undefined, {
      email,
      username: `bench${i}_${tag}`,
      password: "benchmark password",
    });
    await verifyEmailThroughOutbox(base, email);
    tokens.push(accessToken);
  }
  const wsBase = base.replace(/^http/, "ws");
  return {
    name,
    async connect(count, roomName) {
      const room = await api(base, "POST", "/api/v1/rooms", tokens[0], { name: roomName, kind: "public" });
      return inParallel(count, CONNECT_CONCURRENCY, async (i) => {
        const { ticket } = await api(base, "POST", `/api/v1/rooms/${room.id}/ticket`, tokens[i % USERS]);
        return openSocket(`${wsBase}/api/v1/rooms/${room.id}/ws?ticket=${encodeURIComponent(ticket)}`, (data) =>
          data.includes('"type":"hello"'),
        );
      });
    },
    encode: (sample) => JSON.stringify({ type: "send", clientId: sample.k, body: JSON.stringify(sample) }),
    decode(data) {
      const samples: Sample[] = [];
      for (const frame of flattenFrames(JSON.parse(data) as ServerFrame)) {
        if (frame.type === "message") samples.push(JSON.parse(frame.message.body) as Sample);
      }
      return samples;
    },
  };
}

type Row = {
  server: string;
  clients: number;
  rate: number;
  sent: number;
  deliveries: number;
  lost: number;
  p50: number;
  p99: number;
  perSecond: number;
};

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Sends `rate` messages/s for SEND_MS from a few clients; every client records when each arrives. */
async function measure(target: Target, sockets: WebSocket[], rate: number, caseId: string): Promise<Row> {
  const total = Math.round((rate * SEND_MS) / 1000);
  const sentAt = new Map<string, number>();
  const latencies = new Float64Array(total * sockets.length);
  let deliveries = 0;
  let lastDelivery = 0;
  const listeners = sockets.map((socket) => {
    const listener = (data: Buffer) => {
      const text = data.toString();
      if (text === "pong") return;
      const now = performance.now();
      for (const sample of target.decode(text)) {
        const at = sentAt.get(sample.k);
        if (at === undefined) continue;
        latencies[deliveries++] = now - at;
        lastDelivery = now;
      }
    };
    socket.on("message", listener);
    return listener;
  });
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const k = `${caseId}-${i}`;
    const t = performance.now();
    sentAt.set(k, t);
    sockets[i % Math.min(SENDERS, sockets.length)]?.send(target.encode({ k, t }));
  }
  const expected = total * sockets.length;
  const drainUntil = performance.now() + DRAIN_MS;
  while (deliveries < expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  for (const [i, socket] of sockets.entries()) socket.off("message", listeners[i] as never);
  const sorted = latencies.slice(0, deliveries).sort();
  return {
    server: target.name,
    clients: sockets.length,
    rate,
    sent: total,
    deliveries,
    lost: expected - deliveries,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    perSecond: deliveries / ((lastDelivery - start) / 1000),
  };
}

async function closeAll(sockets: WebSocket[]) {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once("close", () => resolve());
          socket.close(1000, "done");
          setTimeout(resolve, 2_000);
        }),
    ),
  );
}

function report(rows: Row[]): string {
  const lines = [
    "| server | clients | msg/s | sent | deliveries | lost | p50 ms | p99 ms | deliveries/s | p99 / minimal DO | deliveries/s / minimal DO |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    const floor = rows.find((r) => r.server === "minimal DO" && r.clients === row.clients && r.rate === row.rate);
    lines.push(
      `| ${row.server} | ${row.clients} | ${row.rate} | ${row.sent} | ${row.deliveries} | ${row.lost} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${Math.round(row.perSecond)} | ${floor ? (row.p99 / floor.p99).toFixed(2) : "–"} | ${floor ? (row.perSecond / floor.perSecond).toFixed(2) : "–"} |`,
    );
  }
  return lines.join("\n");
}

function recordResults(table: string) {
  const body = [
    `Command: \`node bench/chat.ts\` — ${timestamp()}, ${machineLine()}`,
    `(load average at the end: ${loadLine()}; the machine is shared, and the clients run on it too).`,
    "",
    `One room; ${SENDERS} of the clients send, round robin, for ${SEND_MS / 1000} s; every client receives every`,
    `message (its own included). Latency is from send to arrival at each client; "lost" counts deliveries`,
    `still missing ${DRAIN_MS / 1000} s after the last send. deliveries/s is over the time from the first send to the last arrival.`,
    "",
    "- ChatRoom: the app's room object (ticket per socket, every message written to its SQLite before ack and",
    "  broadcast, frames arriving within a few ms coalesced into one `batch` frame).",
    `- ChatRoom, ${1000 / SHARD_THRESHOLD} shards: the same with a shard threshold of ${SHARD_THRESHOLD} sockets: the room holds the first ${SHARD_THRESHOLD}`,
    `  and ${1000 / SHARD_THRESHOLD - 1} ChatShard children hold ${SHARD_THRESHOLD} each; the room admits every socket, orders every message and`,
    "  sends each batch to each child in one call.",
    "- minimal DO: `bench/minimal-chat/`, a hibernating Durable Object that only relays each frame.",
    "- ws: `bench/chat-ws-server.ts`, a Node `ws` relay.",
    "",
    table,
  ].join("\n");
  recordSection("## Chat", body);
}

async function startApp(vars: Record<string, string>, stateDir: string): Promise<string> {
  await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);
  const port = await freePort();
  const worker = await startWranglerDev({
    port,
    persistTo: stateDir,
    vars: {
      // Mail stays in the development outbox, where the benchmark's users verify their address.
      ENVIRONMENT: "development",
      JWT_SECRET: "bench-jwt-secret-0123456789abcdef0123456789",
      STREAM_SIGNING_KEY: randomBytes(32).toString("hex"),
      TRANSCODER_SECRET: randomBytes(32).toString("hex"),
      TRANSCODER_URL: "http://127.0.0.1:9",
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      // Sign-ups of the benchmark's users should not dominate its setup.
      ARGON2_MEMORY_KIB: "64",
      // Five senders at 50 msg/s: the per-user limit would refuse most of them.
      CHAT_SEND_LIMIT: "1000000",
      ...vars,
    },
    readyPath: "/api/v1/health",
  });
  started.addWorker(worker);
  return worker.url;
}

async function startWsServer(): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "bench/chat-ws-server.ts"), String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  started.addChild(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`ws server exited (${code})`)));
  });
  return `ws://127.0.0.1:${port}`;
}

async function main() {
  log(`state in ${temp}`);
  const wsUrl = await startWsServer();
  log("starting the minimal relay Durable Object (wrangler dev --local)");
  const minimal = await startWranglerDev({
    config: "bench/minimal-chat/wrangler.toml",
    persistTo: path.join(temp, "minimal"),
    vars: {},
    readyPath: "/ready",
  });
  started.addWorker(minimal);
  log("starting the app (wrangler dev --local)");
  const app = await startApp({}, path.join(temp, "app"));
  const sharded =
    process.env.CHAT_BENCH_SHARDS === "0" || QUICK
      ? undefined
      : await startApp({ CHAT_SHARD_THRESHOLD: String(SHARD_THRESHOLD) }, path.join(temp, "sharded"));

  const targets: Target[] = [
    relayTarget("ws", () => wsUrl),
    relayTarget("minimal DO", (room) => `${minimal.url.replace(/^http/, "ws")}/ws?room=${room}`),
    await chatRoomTarget("ChatRoom", app),
  ];
  const shardedTarget = sharded
    ? await chatRoomTarget(`ChatRoom, ${1000 / SHARD_THRESHOLD} shards`, sharded)
    : undefined;

  const rows: Row[] = [];
  for (const clients of CLIENT_COUNTS) {
    const here = clients >= SHARD_THRESHOLD * 2 && shardedTarget ? [...targets, shardedTarget] : targets;
    for (const target of here) {
      const room = `bench-${clients}-${randomBytes(3).toString("hex")}`;
      log(`${target.name}: connecting ${clients} clients`);
      const connectStart = performance.now();
      const sockets = await target.connect(clients, room);
      log(`${target.name}: ${clients} connected in ${((performance.now() - connectStart) / 1000).toFixed(1)} s`);
      for (const rate of RATES) {
        const row = await measure(target, sockets, rate, `${room}-${rate}`);
        log(
          `${target.name} ${clients} clients ${rate} msg/s: p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, ${Math.round(row.perSecond)} deliveries/s, lost ${row.lost}`,
        );
        rows.push(row);
      }
      await closeAll(sockets);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  const table = report(rows);
  console.log(table);
  recordResults(table);
}

started.add(() => rmSync(temp, { recursive: true, force: true }));
await started.run(main);
