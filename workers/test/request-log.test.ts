import {
  createExecutionContext,
  createMessageBatch,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { roomStub } from "../chat/room-stub.ts";
import { connect, createRoom } from "../chat/test/fixtures.ts";
import worker from "../index.ts";
import { errorFields } from "../shared/log.ts";
import { REQUEST_ID_HEADER } from "../shared/request-log.ts";
import { registerUser } from "./http.ts";

/** Collects the JSON lines the Worker logs (in this isolate) until `vi.restoreAllMocks()`. */
function captureLogLines(): Record<string, any>[] {
  const lines: Record<string, any>[] = [];
  const capture = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("{")) lines.push(JSON.parse(args[0]));
  };
  vi.spyOn(console, "log").mockImplementation(capture);
  vi.spyOn(console, "warn").mockImplementation(capture);
  vi.spyOn(console, "error").mockImplementation(capture);
  return lines;
}

/** Calls the Worker in this isolate and returns the response with the request lines it logged. */
async function fetchLogged(path: string, headers: Record<string, string> = {}) {
  const lines = captureLogLines();
  const ctx = createExecutionContext();
  const request = new Request(`https://veza.test${path}`, {
    headers: { "cf-connecting-ip": `10.9.${Math.floor(Math.random() * 255)}.1`, ...headers },
  });
  const response = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  vi.restoreAllMocks();
  return { response, requests: lines.filter((line) => line.event === "request") };
}

afterEach(() => vi.restoreAllMocks());

describe("request ids and the request log", () => {
  it("logs one JSON line per request with its id, route pattern, status and duration", async () => {
    const { response, requests } = await fetchLogged("/api/v1/health");
    const id = response.headers.get(REQUEST_ID_HEADER);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests).toEqual([
      {
        level: "info",
        event: "request",
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        requestId: id,
        method: "GET",
        route: "/api/v1/health",
        status: 200,
        durationMs: expect.any(Number),
        userId: null,
      },
    ]);
  });

  it("logs the route pattern, not the path, and the signed-in user's id", async () => {
    const user = await registerUser();
    const { requests } = await fetchLogged(`/api/v1/users/${user.username}`, { authorization: `Bearer ${user.token}` });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ route: "/api/v1/users/:username", status: 200 });
    expect(JSON.stringify(requests[0])).not.toContain(user.username);

    const me = await fetchLogged("/api/v1/me", { authorization: `Bearer ${user.token}` });
    expect(me.requests[0]).toMatchObject({ route: "/api/v1/me", status: 200, userId: user.id });
    expect(JSON.stringify(me.requests[0])).not.toContain(user.token);
  });

  it("logs an unknown path without a route, and the 404 still carries the id", async () => {
    const { response, requests } = await fetchLogged("/api/v1/no/such/thing");
    expect(response.status).toBe(404);
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe(requests[0]?.requestId);
    expect(requests[0]).toMatchObject({ route: null, status: 404, level: "info" });
  });

  it("keeps a sane incoming x-request-id and replaces anything else", async () => {
    const sane = "edge-7f3a9c01:retry.2";
    expect(
      (await fetchLogged("/api/v1/health", { [REQUEST_ID_HEADER]: sane })).response.headers.get(REQUEST_ID_HEADER),
    ).toBe(sane);
    for (const bad of ["short", "has space in it", "x".repeat(129), 'quote"injection-attempt']) {
      const { response, requests } = await fetchLogged("/api/v1/health", { [REQUEST_ID_HEADER]: bad });
      const id = response.headers.get(REQUEST_ID_HEADER);
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(requests[0]?.requestId).toBe(id);
    }
  });
});

describe("queue consumers", () => {
  it("log one line per batch with the queue, its size, the outcome and duration, and one per dropped message", async () => {
    const lines = captureLogLines();
    const batch = createMessageBatch("plays-staging", [
      { id: "m-malformed", timestamp: new Date(), attempts: 1, body: { hello: "world" } },
    ]);
    await worker.queue(batch, env);
    vi.restoreAllMocks();
    expect(lines).toEqual([
      expect.objectContaining({ level: "warn", event: "plays.malformed", messageId: "m-malformed", action: "dropped" }),
      expect.objectContaining({
        level: "info",
        event: "queue.batch",
        queue: "plays-staging",
        messages: 1,
        outcome: "ok",
        durationMs: expect.any(Number),
      }),
    ]);
  });
});

describe("errorFields", () => {
  it("describes an error with its chain of causes", () => {
    const error = new Error("saving the track failed", { cause: new TypeError("D1_ERROR: no such table") });
    const fields = errorFields(error).error;
    expect(fields).toMatchObject({
      name: "Error",
      message: "saving the track failed",
      cause: { name: "TypeError", message: "D1_ERROR: no such table" },
    });
    expect(errorFields("plain text").error).toEqual({ message: "plain text" });
  });
});

describe("Durable Objects", () => {
  it("log JSON lines like requests do: a room's sockets opening and closing, and each alarm run", async () => {
    const owner = await registerUser();
    const room = await createRoom(owner);
    const lines = captureLogLines();
    const client = await connect(owner, room.id);
    expect(await runDurableObjectAlarm(roomStub(env, room.id))).toBe(true);
    client.close();
    await vi.waitFor(() => expect(lines.some((l) => l.event === "chat_room.socket_close")).toBe(true));
    vi.restoreAllMocks();
    const fromRoom = lines.filter((line) => line.object === "ChatRoom");
    expect(fromRoom).toEqual([
      expect.objectContaining({
        level: "info",
        event: "chat_room.socket_open",
        roomId: room.id,
        userId: owner.id,
        sockets: 1,
        time: expect.any(String),
      }),
      expect.objectContaining({ level: "info", event: "chat_room.alarm", roomId: room.id, outcome: "ok" }),
      expect.objectContaining({ level: "info", event: "chat_room.socket_close", roomId: room.id, userId: owner.id }),
    ]);
    expect(fromRoom[1]?.durationMs).toEqual(expect.any(Number));
  });

  it("log a failed alarm as an error line with its cause", async () => {
    const owner = await registerUser();
    const room = await createRoom(owner);
    const client = await connect(owner, room.id);
    const lines = captureLogLines();
    // Whatever goes wrong inside the alarm's work (D1, storage) reaches the log the same way.
    await runInDurableObject(roomStub(env, room.id), async (instance) => {
      vi.spyOn(instance as unknown as { prune: () => Promise<void> }, "prune").mockRejectedValue(
        new Error("storage is gone", { cause: new Error("disk full") }),
      );
    });
    await runDurableObjectAlarm(roomStub(env, room.id)).catch(() => undefined);
    vi.restoreAllMocks();
    client.close();
    expect(lines.filter((l) => l.event === "chat_room.alarm")).toEqual([
      expect.objectContaining({
        level: "error",
        object: "ChatRoom",
        outcome: "error",
        roomId: room.id,
        error: expect.objectContaining({ message: "storage is gone", cause: { name: "Error", message: "disk full" } }),
      }),
    ]);
  });
});
