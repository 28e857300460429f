import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTrack } from "../../catalog/test/fixtures.ts";
import worker from "../../index.ts";
import { call, registerUser } from "../../test/http.ts";
import { DELIVER_SIZE, PAGE_SIZE } from "../fanout/fanout-consumer.ts";
import type { FanoutMessage } from "../fanout/fanout-message.ts";
import { inboxOf } from "../inbox/notification-inbox.ts";
import { liveChannel } from "./fixtures.ts";

/** Inserts `n` active followers of `artistId` in one statement each (registering them one by one would take minutes). */
async function seedFollowers(artistId: string, n: number): Promise<string[]> {
  const tag = crypto.randomUUID().slice(0, 8);
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1)
       INSERT INTO users (id, email, username, display_name, password_hash, created_at, updated_at)
       SELECT 'fan-' || ?2 || '-' || printf('%05d', i), 'fan-' || ?2 || '-' || i || '@example.test',
              'fan_' || ?2 || '_' || i, 'Fan ' || i, 'x', ?3, ?3 FROM seq`,
    ).bind(n, tag, now),
    env.DB.prepare(
      `INSERT INTO follows (follower_id, followee_id, created_at)
       SELECT id, ?1, ?2 + (CAST(substr(id, -5) AS INTEGER) % 7) FROM users WHERE id LIKE 'fan-' || ?3 || '-%'`,
    ).bind(artistId, now, tag),
  ]);
  return Array.from({ length: n }, (_, i) => `fan-${tag}-${String(i + 1).padStart(5, "0")}`);
}

/** Captures what the consumer enqueues, so the test delivers it itself (and again, to redeliver). */
function captureQueue() {
  const pending: FanoutMessage[] = [];
  const sent = { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } };
  vi.spyOn(env.NOTIFY_QUEUE, "send").mockImplementation(async (body) => {
    pending.push(body as FanoutMessage);
    return sent;
  });
  vi.spyOn(env.NOTIFY_QUEUE, "sendBatch").mockImplementation(async (messages) => {
    for (const m of messages) pending.push(m.body as FanoutMessage);
    return sent;
  });
  return pending;
}

/** Runs one batch through the Worker's queue handler, as the queue would, and checks each message was acked. */
async function deliverBatch(bodies: FanoutMessage[], attempts = 1) {
  const batch = createMessageBatch(
    "notify-fanout",
    bodies.map((body) => ({ id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = await getQueueResult(batch, ctx);
  expect(result.retryMessages).toEqual([]);
  expect(result.explicitAcks).toHaveLength(bodies.length);
}

/** Drains the captured queue in batches of the configured size (10); returns every message run. */
async function drain(pending: FanoutMessage[]): Promise<FanoutMessage[]> {
  const ran: FanoutMessage[] = [];
  while (pending.length > 0) {
    const batch = pending.splice(0, 10);
    await deliverBatch(batch);
    ran.push(...batch);
  }
  return ran;
}

async function unreadCounts(userIds: string[]): Promise<Map<number, number>> {
  const histogram = new Map<number, number>();
  for (let i = 0; i < userIds.length; i += 250) {
    const counts = await Promise.all(userIds.slice(i, i + 250).map((id) => inboxOf(env, id).unreadCount(id)));
    for (const c of counts) histogram.set(c, (histogram.get(c) ?? 0) + 1);
  }
  return histogram;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the notification fan-out", () => {
  it("tells 10,000 followers of a new track through the queue, each once, though batches are redelivered", async () => {
    const artist = await registerUser();
    const followers = await seedFollowers(artist.id, 10_000);
    // Two more followers who must hear nothing: one the artist blocked, one disabled.
    const [blocked, disabled] = [await registerUser(), await registerUser()];
    for (const fan of [blocked, disabled]) {
      await call("POST", `/api/v1/users/${artist.username}/follow`, { token: fan.token });
    }
    await call("POST", `/api/v1/users/${blocked.username}/block`, { token: artist.token });
    await env.DB.prepare("UPDATE users SET status = 'disabled' WHERE id = ?1").bind(disabled.id).run();
    const listening = await registerUser();
    await call("POST", `/api/v1/users/${artist.username}/follow`, { token: listening.token });
    const live = await liveChannel(listening);

    const pending = captureQueue();
    const track = await createTrack(artist, { title: "Big Release", visibility: "private" });
    // Publishing the ready track announces it; the request only enqueues one message.
    const published = await call("PATCH", `/api/v1/tracks/${track.id}`, {
      token: artist.token,
      body: { visibility: "public" },
    });
    expect(published.status).toBe(200);
    expect(pending).toEqual([{ kind: "new_track", trackId: track.id }]);

    const ran = await drain(pending);
    const pages = ran.filter((m) => m.kind === "page");
    const deliveries = ran.filter((m) => m.kind === "deliver");
    const audience = followers.length + 1;
    expect(pages).toHaveLength(Math.floor(audience / PAGE_SIZE));
    expect(deliveries).toHaveLength(Math.ceil(audience / DELIVER_SIZE));
    const recipients = deliveries.flatMap((m) => (m.kind === "deliver" ? m.recipients : []));
    expect(new Set(recipients).size).toBe(audience);
    expect(recipients).not.toContain(blocked.id);
    expect(recipients).not.toContain(disabled.id);

    // At-least-once: a page and some delivery batches come again (a lost ack). Nothing doubles.
    await deliverBatch([pages[3]!, deliveries[0]!, deliveries[57]!, deliveries.at(-1)!], 2);
    // The repeated page enqueues its batches and the rest of the chain again.
    const again = await drain(pending);
    expect(again.filter((m) => m.kind === "deliver").length).toBeGreaterThan(PAGE_SIZE / DELIVER_SIZE);

    expect(await unreadCounts([...followers, listening.id])).toEqual(new Map([[1, audience]]));
    expect(await unreadCounts([blocked.id, disabled.id])).toEqual(new Map([[0, 2]]));
    // The artist's own inbox holds their new followers, not their own track.
    const own = await inboxOf(env, artist.id).list(artist.id, { limit: 10 });
    expect(own.items.map((n) => n.type)).toEqual(["follow"]);
    const { items } = await inboxOf(env, followers[4321]!).list(followers[4321]!, { limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({
        type: "new_track",
        track: { id: track.id, title: "Big Release" },
        actors: [{ id: artist.id, username: artist.username, displayName: artist.username }],
      }),
    ]);
    await vi.waitFor(() => expect(live.notifications()).toHaveLength(1));
    expect(live.notifications()[0]).toMatchObject({ type: "new_track", unreadCount: 1 });
    live.close();
    // About 20 s alone on a loaded 2-core machine (seeding 10,000 accounts and reading 10,000 inboxes included).
  }, 120_000);
});
