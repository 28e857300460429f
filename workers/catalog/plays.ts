import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { tracks } from "../db/schema/index.ts";
import { sha256Hex } from "../shared/crypto.ts";
import { newId } from "../shared/ids.ts";
import type { TrackRow } from "./tracks.ts";

const FULL_LISTEN_MS = 30_000;

/** A listen counts once it reaches 30 s or half the track, whichever comes first. */
export function countingThresholdMs(durationMs: number | null): number {
  return durationMs && durationMs > 0 ? Math.min(FULL_LISTEN_MS, Math.ceil(durationMs / 2)) : FULL_LISTEN_MS;
}

export type PlayReport = {
  track: Pick<TrackRow, "id" | "durationMs">;
  userId: string | undefined;
  /** `u:<userId>` or `ip:<hash>`: who listened, for telling one listen from the next. */
  listenerKey: string;
  listenedMs: number;
  /** Client-chosen id of one listen: repeated reports of it count once. */
  listenId?: string;
};

/**
 * Records a play if it is a new listen, in one statement: the insert happens only when the
 * listen is long enough and the same listener has no counted play of this track that could be
 * the same listen. Without a listen id that is any play within one track length (two listens
 * of one track cannot both complete sooner); with one, the same id, or a play within the
 * threshold (no one finishes two listens faster than that). Triggers then bump the counters.
 */
export async function recordPlay(db: Db, report: PlayReport, now = Date.now()) {
  const threshold = countingThresholdMs(report.track.durationMs);
  if (report.listenedMs < threshold) return { counted: false, playCount: await playCountOf(db, report.track.id) };
  const window = report.listenId ? threshold : Math.max(threshold, report.track.durationMs ?? 0);
  const id = report.listenId
    ? `l${(await sha256Hex(`${report.listenerKey}\n${report.track.id}\n${report.listenId}`)).slice(0, 31)}`
    : newId(now);
  const d1 = db.$client;
  const [inserted, count] = await d1.batch<{ play_count: number }>([
    d1
      .prepare(
        `INSERT INTO plays (id, track_id, user_id, listener_key, listened_ms, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6
         WHERE NOT EXISTS (
           SELECT 1 FROM plays WHERE listener_key = ?4 AND track_id = ?2 AND created_at > ?7
         )
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(id, report.track.id, report.userId ?? null, report.listenerKey, report.listenedMs, now, now - window),
    d1.prepare("SELECT play_count FROM tracks WHERE id = ?1").bind(report.track.id),
  ]);
  return { counted: (inserted?.meta.changes ?? 0) > 0, playCount: count?.results[0]?.play_count ?? 0 };
}

async function playCountOf(db: Db, trackId: string): Promise<number> {
  const row = await db.select({ playCount: tracks.playCount }).from(tracks).where(eq(tracks.id, trackId)).get();
  return row?.playCount ?? 0;
}
