import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../index.ts";
import { newId } from "../../shared/ids.ts";
import { call, json, registerUser, type TestUser } from "../../test/http.ts";
import { type PlayMessage, playMessage } from "../play-message.ts";
import { createTrack, playCountOf } from "./fixtures.ts";

const MINUTE = 60_000;

async function deliver(queue: string, bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body) => ({ id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

const anonymous = () => `ip:${crypto.randomUUID().replaceAll("-", "")}`;

function report(
  trackId: string,
  listener: { key: string; userId: string | null },
  at: number,
  extra: Partial<Pick<PlayMessage, "listenedMs" | "listenId" | "durationMs">> = {},
): PlayMessage {
  return playMessage(
    {
      trackId,
      userId: listener.userId,
      listenerKey: listener.key,
      listenedMs: extra.listenedMs ?? 40_000,
      listenId: extra.listenId,
      durationMs: extra.durationMs === undefined ? 180_000 : extra.durationMs,
    },
    at,
  );
}

async function dailyPlaysOf(trackId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COALESCE(SUM(plays), 0) AS n FROM track_daily_plays WHERE track_id = ?1")
    .bind(trackId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

async function playRowsOf(trackId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM plays WHERE track_id = ?1")
    .bind(trackId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("the plays queue consumer", () => {
  it("counts a batch of 150 reports exactly, once per listen, and a redelivered batch adds nothing", async () => {
    const owner = await registerUser();
    const tracks = await Promise.all(Array.from({ length: 5 }, () => createTrack(owner, { durationMs: 180_000 })));
    const users: TestUser[] = await Promise.all(Array.from({ length: 3 }, () => registerUser()));
    const listeners = [
      ...users.map((u) => ({ key: `u:${u.id}`, userId: u.id as string | null })),
      ...Array.from({ length: 7 }, () => ({ key: anonymous(), userId: null })),
    ];
    const base = Date.now() - 24 * 60 * MINUTE;
    const expected = new Map(tracks.map((t) => [t.id, 0]));
    const expectedHistory = new Map(users.map((u) => [u.id, 0]));
    const counts = (trackId: string, userId: string | null) => {
      expected.set(trackId, expected.get(trackId)! + 1);
      if (userId) expectedHistory.set(userId, expectedHistory.get(userId)! + 1);
    };
    const messages: PlayMessage[] = [];
    listeners.forEach((listener, l) => {
      tracks.forEach((track, t) => {
        // Each (listener, track) gets its own 20-minute slot, so its reports sit side by side in time.
        const at = base + (l * tracks.length + t) * 20 * MINUTE;
        // A listen, counted.
        const first = report(track.id, listener, at, { listenedMs: 40_000 });
        messages.push(first);
        counts(track.id, listener.userId);
        // The same listen reported again (a fresh playId, within one track length): not counted.
        messages.push(report(track.id, listener, at + MINUTE, { listenedMs: 100_000 }));
        if ((l + t) % 3 === 0) {
          // The first report delivered twice in the same batch: not counted.
          messages.push(first);
        } else {
          // A later listen with a listen id: counted.
          messages.push(report(track.id, listener, at + 10 * MINUTE, { listenId: `late-${t}` }));
          counts(track.id, listener.userId);
        }
      });
    });
    expect(messages).toHaveLength(150);
    messages.reverse(); // arrival order is not time order

    const result = await deliver("plays", messages);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(150);
    const expectedCounts = tracks.map((t) => expected.get(t.id));
    expect(new Set(expectedCounts).size).toBeGreaterThan(1); // the tracks differ, so a mix-up would show
    const actual = async () => ({
      playCount: await Promise.all(tracks.map((t) => playCountOf(t.id))),
      rows: await Promise.all(tracks.map((t) => playRowsOf(t.id))),
      daily: await Promise.all(tracks.map((t) => dailyPlaysOf(t.id))),
    });
    expect(await actual()).toEqual({ playCount: expectedCounts, rows: expectedCounts, daily: expectedCounts });

    for (const user of users) {
      const history = await json(await call("GET", "/api/v1/me/history?limit=100", { token: user.token }));
      expect(history.items).toHaveLength(expectedHistory.get(user.id)!);
    }

    const again = await deliver("plays", [...messages].reverse(), 2);
    expect(again.explicitAcks).toHaveLength(150);
    expect(await actual()).toEqual({ playCount: expectedCounts, rows: expectedCounts, daily: expectedCounts });
  });

  it("acks and ignores a malformed message, and still counts the rest of the batch", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner);
    const listener = { key: anonymous(), userId: null };
    const valid = report(track.id, listener, Date.now());
    const { playId: _playId, ...withoutPlayId } = report(track.id, { key: anonymous(), userId: null }, Date.now());
    const result = await deliver("plays", [{ hello: "world" }, "not even an object", withoutPlayId, valid]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(4);
    expect(await playCountOf(track.id)).toBe(1);
  });

  it("ignores a report below the threshold, and one of a track deleted since; keeps a deleted user's play anonymous", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner, { durationMs: 240_000 });
    const now = Date.now();
    const gone = { key: `u:${newId()}`, userId: newId() }; // no such user (any more)
    const result = await deliver("plays", [
      report(track.id, { key: anonymous(), userId: null }, now, { listenedMs: 29_999, durationMs: 240_000 }),
      report("no-such-track", { key: anonymous(), userId: null }, now),
      report(track.id, gone, now, { durationMs: 240_000 }),
    ]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(3);
    expect(await playCountOf(track.id)).toBe(1);
    const row = await env.DB.prepare("SELECT user_id, listener_key FROM plays WHERE track_id = ?1")
      .bind(track.id)
      .first();
    expect(row).toEqual({ user_id: null, listener_key: gone.key });
  });

  it("retries the whole batch when D1 fails, counting none of it, then counts it once", async () => {
    const owner = await registerUser();
    const poisoned = await createTrack(owner);
    const healthy = await createTrack(owner);
    const bodies = [
      report(healthy.id, { key: anonymous(), userId: null }, Date.now()),
      report(poisoned.id, { key: anonymous(), userId: null }, Date.now()),
    ];
    // A real D1 error: a trigger that aborts any insert of a play of this one track.
    const trigger = `test_fail_plays_${poisoned.id}`;
    await env.DB.prepare(
      `CREATE TRIGGER "${trigger}" BEFORE INSERT ON plays WHEN new.track_id = '${poisoned.id}'
       BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    ).run();
    try {
      const failed = await deliver("plays", bodies);
      expect(failed.explicitAcks).toEqual([]);
      expect(failed.retryMessages).toHaveLength(2);
      expect([await playCountOf(healthy.id), await playCountOf(poisoned.id)]).toEqual([0, 0]);
    } finally {
      await env.DB.prepare(`DROP TRIGGER IF EXISTS "${trigger}"`).run();
    }
    const retried = await deliver("plays", bodies, 2);
    expect(retried.explicitAcks).toHaveLength(2);
    expect([await playCountOf(healthy.id), await playCountOf(poisoned.id)]).toEqual([1, 1]);
  });

  it("counts reports from a deployed environment's queue (plays-staging, plays-production)", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner);
    for (const queue of ["plays-staging", "plays-production"]) {
      const result = await deliver(queue, [report(track.id, { key: anonymous(), userId: null }, Date.now())]);
      expect(result.retryMessages).toEqual([]);
    }
    expect(await playCountOf(track.id)).toBe(2);
  });

  it("counts no more plays per listener and track than wall time allows, listen ids or not, idempotently", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner, { durationMs: 4_000 });
    const user = await registerUser();
    const t0 = Date.now() - 60 * MINUTE;
    for (const listener of [
      { key: `u:${user.id}`, userId: user.id as string | null },
      { key: anonymous(), userId: null },
    ]) {
      // The review's reproduction: 8 reports 2.1 s apart, each claiming 24 h on a 4-second track.
      const messages = Array.from({ length: 8 }, (_, k) =>
        report(track.id, listener, t0 + k * 2_100, {
          listenedMs: 86_400_000,
          listenId: `loop-${k}`,
          durationMs: 4_000,
        }),
      );
      await deliver("plays", messages);
      await deliver("plays", [...messages].reverse(), 2);
    }
    // Per listener: 14.7 s of wall time fit the first listen plus one play per 4 s (k = 0, 2, 4, 6).
    expect(await playCountOf(track.id)).toBe(8);
    const rows = await env.DB.prepare("SELECT listener_key, listened_ms, created_at FROM plays WHERE track_id = ?1")
      .bind(track.id)
      .all<{ listener_key: string; listened_ms: number; created_at: number }>();
    expect(new Set(rows.results.map((r) => r.listened_ms))).toEqual(new Set([4_000]));
    expect(new Set(rows.results.map((r) => r.created_at - t0))).toEqual(new Set([0, 4_200, 8_400, 12_600]));
  });

  it("acks a batch from a queue it has no consumer for", async () => {
    const result = await deliver("mystery", [{ type: "play" }]);
    expect(result.ackAll).toBe(true);
    expect(result.retryMessages).toEqual([]);
  });
});
