import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createTrack, makeAdmin, uniqueWord } from "../../catalog/test/fixtures.ts";
import { connect, createRoom } from "../../chat/test/fixtures.ts";
import { party, stateOf } from "../../chat/test/party-fixtures.ts";
import worker from "../../index.ts";
import { uploadTrack, wavBytes } from "../../media/test/fixtures.ts";
import { call, expectErrorEnvelope, json, registerUser, type TestUser } from "../../test/http.ts";

async function adminGet(admin: TestUser, path: string) {
  const response = await call("GET", path, { token: admin.token });
  expect(response.status).toBe(200);
  return json(response);
}

async function failTrack(trackId: string, reason = "Processing failed after 5 attempts: unreachable") {
  await env.DB.prepare("UPDATE tracks SET status = 'failed', failure_reason = ?1 WHERE id = ?2")
    .bind(reason, trackId)
    .run();
}

async function deliverDeadLetters(queue: string, ids: string[]) {
  const batch = createMessageBatch(
    queue,
    ids.map((id) => ({ id, timestamp: new Date(), attempts: 5, body: { type: "transcode", trackId: `t-${id}` } })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe("the admin dashboard API", () => {
  it("is for admins only", async () => {
    const user = await registerUser();
    for (const path of [
      "/api/v1/admin/overview",
      "/api/v1/admin/users",
      "/api/v1/admin/tracks",
      "/api/v1/admin/dead-letters",
    ]) {
      expectErrorEnvelope(await json(await call("GET", path, { token: user.token })), "forbidden");
      expect((await call("GET", path)).status).toBe(401);
    }
    const retry = await call("POST", "/api/v1/admin/tracks/anything/retry", { token: user.token });
    expect(retry.status).toBe(403);
  });

  it("counts tracks by status and the storage the recorded uploads use", async () => {
    const admin = await makeAdmin(await registerUser());
    const artist = await registerUser();
    const before = await adminGet(admin, "/api/v1/admin/overview");
    const bytes = wavBytes(300_000);
    const { track } = await uploadTrack(artist, bytes);
    await registerUser();
    const after = await adminGet(admin, "/api/v1/admin/overview");
    expect(after.storage.originalBytes - before.storage.originalBytes).toBe(bytes.byteLength);
    expect(after.storage.totalBytes).toBe(after.storage.originalBytes + after.storage.renditionBytes);
    expect(after.tracks.processing - before.tracks.processing).toBe(1);
    expect(after.users.total - before.users.total).toBe(1);
    expect(after.users.admins).toBeGreaterThanOrEqual(1);

    await failTrack(track.id);
    const failed = await adminGet(admin, "/api/v1/admin/overview");
    expect(failed.tracks.failed - after.tracks.failed).toBe(1);
    expect(failed.tracks.processing - after.tracks.processing).toBe(-1);
  });

  it("lists failed tracks with their reason, and a retry puts one back in the transcode queue", async () => {
    const admin = await makeAdmin(await registerUser());
    const artist = await registerUser();
    const { track } = await uploadTrack(artist, wavBytes(200_000));
    await failTrack(track.id, "The transcoder could not be reached");

    const list = await adminGet(admin, "/api/v1/admin/tracks?status=failed&limit=100");
    const listed = list.items.find((item: { id: string }) => item.id === track.id);
    expect(listed).toMatchObject({
      status: "failed",
      failureReason: "The transcoder could not be reached",
      owner: { id: artist.id, username: artist.username },
    });

    const send = vi.spyOn(env.TRANSCODE_QUEUE, "send");
    const retry = await call("POST", `/api/v1/admin/tracks/${track.id}/retry`, { token: admin.token });
    expect(retry.status).toBe(202);
    expect(await json(retry)).toEqual({ id: track.id, status: "processing" });
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({ type: "transcode", trackId: track.id, uploadedBy: artist.id }),
    );
    send.mockRestore();
    const row = await env.DB.prepare("SELECT status, failure_reason FROM tracks WHERE id = ?1")
      .bind(track.id)
      .first<{ status: string; failure_reason: string | null }>();
    expect(row).toEqual({ status: "processing", failure_reason: null });
    const audit = await adminGet(admin, `/api/v1/admin/audit?targetId=${track.id}`);
    expect(audit.items[0]).toMatchObject({ action: "track.retry_transcode", actor: { id: admin.id } });

    // Not failed any more: a second retry is refused and queues nothing.
    const again = await call("POST", `/api/v1/admin/tracks/${track.id}/retry`, { token: admin.token });
    expect(again.status).toBe(409);
    expectErrorEnvelope(await json(again), "not_failed");
  });

  it("refuses to retry a track whose original is gone, and an unknown track", async () => {
    const admin = await makeAdmin(await registerUser());
    const artist = await registerUser();
    const { track } = await uploadTrack(artist, wavBytes(200_000));
    await failTrack(track.id);
    await env.MEDIA.delete(`tracks/${track.id}/original`);
    const send = vi.spyOn(env.TRANSCODE_QUEUE, "send");
    const retry = await call("POST", `/api/v1/admin/tracks/${track.id}/retry`, { token: admin.token });
    expect(retry.status).toBe(409);
    expectErrorEnvelope(await json(retry), "original_missing");
    expect(send).not.toHaveBeenCalled();
    send.mockRestore();
    const status = await env.DB.prepare("SELECT status FROM tracks WHERE id = ?1").bind(track.id).first("status");
    expect(status).toBe("failed");

    const unknown = await call("POST", "/api/v1/admin/tracks/no-such-track/retry", { token: admin.token });
    expect(unknown.status).toBe(404);
  });

  it("searches accounts by the start of the username, display name or email", async () => {
    const admin = await makeAdmin(await registerUser());
    const word = uniqueWord("op");
    const a = await registerUser({ username: `${word}_anna` });
    const b = await registerUser({ username: `x${word}_bob`, displayName: `${word} Bob` });
    await registerUser({ username: `x${word}_carl` });
    const found = await adminGet(admin, `/api/v1/admin/users?q=${word}`);
    expect(found.items.map((u: { id: string }) => u.id).sort()).toEqual([a.id, b.id].sort());
    expect(found.items[0]).toEqual({
      id: expect.any(String),
      username: expect.any(String),
      displayName: expect.any(String),
      email: expect.any(String),
      role: "listener",
      status: "active",
      createdAt: expect.any(String),
    });
    // LIKE wildcards are matched literally.
    expect((await adminGet(admin, "/api/v1/admin/users?q=%25")).items).toEqual([]);

    const firstPage = await adminGet(admin, "/api/v1/admin/users?limit=2");
    expect(firstPage.items).toHaveLength(2);
    const secondPage = await adminGet(admin, `/api/v1/admin/users?limit=2&cursor=${firstPage.nextCursor}`);
    expect(secondPage.items.map((u: { id: string }) => u.id)).not.toContain(firstPage.items[0].id);
  });
});

describe("dead letters", () => {
  it("records each dead-lettered message once per id and counts them per queue", async () => {
    const admin = await makeAdmin(await registerUser());
    const before = await adminGet(admin, "/api/v1/admin/dead-letters");
    const countOf = (body: { queues: { queue: string; count: number }[] }, queue: string) =>
      body.queues.find((q) => q.queue === queue)?.count;
    const ids = [`dl-${crypto.randomUUID()}`, `dl-${crypto.randomUUID()}`];

    const result = await deliverDeadLetters("transcode-dlq", ids);
    expect(result.ackAll).toBe(true);
    // Redelivered (at-least-once): not counted twice. A deployed environment's queue name maps to the same queue.
    await deliverDeadLetters("transcode-dlq-production", ids.slice(0, 1));
    await deliverDeadLetters("plays-dlq-staging", [`dl-${crypto.randomUUID()}`]);

    const after = await adminGet(admin, "/api/v1/admin/dead-letters");
    expect(countOf(after, "transcode-dlq")! - countOf(before, "transcode-dlq")!).toBe(2);
    expect(countOf(after, "plays-dlq")! - countOf(before, "plays-dlq")!).toBe(1);
    const overview = await adminGet(admin, "/api/v1/admin/overview");
    expect(overview.deadLetters).toEqual(after.queues);
    const row = await env.DB.prepare("SELECT queue, body, attempts FROM dead_letters WHERE id = ?1")
      .bind(ids[0])
      .first();
    expect(row).toEqual({
      queue: "transcode-dlq",
      body: JSON.stringify({ type: "transcode", trackId: `t-${ids[0]}` }),
      attempts: 5,
    });
  });
});

describe("listening parties in the overview", () => {
  it("lists a party on now with its room, host, the people present and its start, and drops it when it ends", async () => {
    const admin = await makeAdmin(await registerUser());
    const [host, guest] = [await registerUser(), await registerUser()];
    const track = await createTrack(host, { title: "Party opener" });
    const room = await createRoom(host, "public", uniqueWord("Party"));
    const h = await connect(host, room.id);
    const g = await connect(guest, room.id);
    const started = stateOf(await party(h, "start", { trackId: track.id }));

    const listed = () =>
      adminGet(admin, "/api/v1/admin/overview").then((o) =>
        o.parties.find((p: { roomId: string }) => p.roomId === room.id),
      );
    // The room's object marks its row in D1 in the background.
    await vi.waitFor(async () => expect(await listed()).toBeDefined(), { timeout: 5_000, interval: 20 });
    expect(await listed()).toEqual({
      roomId: room.id,
      room: room.name,
      host: { id: host.id, username: host.username },
      listeners: 2,
      startedAt: new Date(started.startedAt).toISOString(),
    });

    g.close();
    await vi.waitFor(async () => expect((await listed())?.listeners).toBe(1), { timeout: 5_000, interval: 20 });
    expect(await party(h, "end")).toEqual({ state: null });
    await vi.waitFor(async () => expect(await listed()).toBeUndefined(), { timeout: 5_000, interval: 20 });
    h.close();
  });
});
