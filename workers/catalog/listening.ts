import { and, desc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { nowPlaying, playQueues, trackRatings, tracks, users } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { playMessage } from "./play-message.ts";
import { meetsCountingThreshold } from "./plays.ts";
import type { TrackRow } from "./tracks.ts";
import type { Viewer } from "./visibility.ts";
import { viewableSql } from "./visibility-sql.ts";

/** A listener's own state around tracks: likes, ratings, now playing, play reports, the saved queue. */

/** Sets a 1–5 rating; 0 removes it. */
export async function rateTrack(db: Db, userId: string, trackId: string, rating: number): Promise<void> {
  if (rating === 0) {
    await db.delete(trackRatings).where(and(eq(trackRatings.userId, userId), eq(trackRatings.trackId, trackId)));
    return;
  }
  const updatedAt = Date.now();
  await db
    .insert(trackRatings)
    .values({ userId, trackId, rating, updatedAt })
    .onConflictDoUpdate({ target: [trackRatings.userId, trackRatings.trackId], set: { rating, updatedAt } });
}

export type ListenReport = {
  track: Pick<TrackRow, "id" | "durationMs">;
  viewer: Viewer;
  /** `u:<userId>` or `ip:<hash>` (see play-message.ts). */
  listenerKey: string;
  listenedMs: number;
  listenId?: string;
};

/** Queues a play for counting when the listen reached the threshold; returns whether it was queued. */
export async function reportListen(env: Pick<Env, "PLAYS_QUEUE">, report: ListenReport): Promise<boolean> {
  if (!meetsCountingThreshold(report.listenedMs, report.track.durationMs)) return false;
  const message = playMessage({
    trackId: report.track.id,
    userId: report.viewer?.id ?? null,
    listenerKey: report.listenerKey,
    listenedMs: report.listenedMs,
    listenId: report.listenId,
    durationMs: report.track.durationMs,
  });
  await env.PLAYS_QUEUE.send(message, { contentType: "json" });
  return true;
}

/** How long a "now playing" report stays current without a new one. */
export const NOW_PLAYING_TTL_MS = 10 * 60 * 1000;

export async function setNowPlaying(db: Db, userId: string, trackId: string, client: string): Promise<void> {
  const updatedAt = Date.now();
  await db
    .insert(nowPlaying)
    .values({ userId, trackId, client, updatedAt })
    .onConflictDoUpdate({ target: nowPlaying.userId, set: { trackId, client, updatedAt } });
}

/** Who is playing what right now, leaving out tracks the viewer may not open. */
export async function currentlyPlaying(db: Db, viewer: Viewer, now = Date.now()) {
  return db
    .select({
      userId: nowPlaying.userId,
      username: users.username,
      trackId: nowPlaying.trackId,
      client: nowPlaying.client,
      updatedAt: nowPlaying.updatedAt,
    })
    .from(nowPlaying)
    .innerJoin(tracks, eq(tracks.id, nowPlaying.trackId))
    .innerJoin(users, and(eq(users.id, nowPlaying.userId), eq(users.status, "active")))
    .where(and(gt(nowPlaying.updatedAt, now - NOW_PLAYING_TTL_MS), viewableSql(viewer)))
    .orderBy(desc(nowPlaying.updatedAt))
    .limit(100);
}

export type SavedQueue = { trackIds: string[]; currentTrackId: string | null; positionMs: number; changedBy: string };

export async function savePlayQueue(db: Db, userId: string, queue: SavedQueue): Promise<void> {
  const updatedAt = Date.now();
  await db
    .insert(playQueues)
    .values({ userId, ...queue, updatedAt })
    .onConflictDoUpdate({ target: playQueues.userId, set: { ...queue, updatedAt } });
}

export async function getPlayQueue(db: Db, userId: string) {
  return db.select().from(playQueues).where(eq(playQueues.userId, userId)).get();
}

export async function clearPlayQueue(db: Db, userId: string): Promise<void> {
  await db.delete(playQueues).where(eq(playQueues.userId, userId));
}
