import { sha256Hex } from "../shared/crypto.ts";
import type { PlayMessage } from "./play-message.ts";

const FULL_LISTEN_MS = 30_000;
/** Bound parameters of one row of the insert below; D1 allows at most 100 per statement. */
const PARAMS_PER_ROW = 7;
const ROWS_PER_STATEMENT = Math.floor(100 / PARAMS_PER_ROW);

/** A listen counts once it reaches 30 s or half the track, whichever comes first. */
export function countingThresholdMs(durationMs: number | null): number {
  return durationMs && durationMs > 0 ? Math.min(FULL_LISTEN_MS, Math.ceil(durationMs / 2)) : FULL_LISTEN_MS;
}

export function meetsCountingThreshold(listenedMs: number, durationMs: number | null): boolean {
  return listenedMs >= countingThresholdMs(durationMs);
}

/** One accepted play report, as queued (see play-message.ts). */
export type PlayReport = Omit<PlayMessage, "type">;

type PlayRow = {
  id: string;
  trackId: string;
  userId: string | null;
  listenerKey: string;
  listenedMs: number;
  at: number;
  /** The report is a new listen only if this listener has no play of this track after this time. */
  since: number;
};

/**
 * Records the reports that are new listens, in one D1 batch (one round trip, one transaction)
 * however many reports there are; returns how many plays were counted. A report is a new listen
 * when it is long enough and the same listener has no counted play of this track that could be
 * the same listen. Without a listen id that is any play within one track length (two listens of
 * one track cannot both complete sooner); with one, the same id, or a play within the threshold
 * (no one finishes two listens faster than that). Triggers on `plays` then bump the track's
 * play count and its daily plays, inside the same transaction, so counters stay exact.
 *
 * Running the same reports again counts nothing: a play's row id is the hash of its listen id,
 * or else the `playId` fixed when the report was queued (`ON CONFLICT DO NOTHING`), and the
 * earlier row is inside the window anyway.
 */
export async function recordPlays(d1: D1Database, reports: readonly PlayReport[]): Promise<number> {
  const rows = await Promise.all(reports.filter((r) => meetsCountingThreshold(r.listenedMs, r.durationMs)).map(toRow));
  const statements = roundsOf(rows).flatMap((round) => chunk(round, ROWS_PER_STATEMENT).map((c) => insertPlays(d1, c)));
  if (statements.length === 0) return 0;
  const results = await d1.batch(statements);
  return results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}

async function toRow(report: PlayReport): Promise<PlayRow> {
  const threshold = countingThresholdMs(report.durationMs);
  const window = report.listenId ? threshold : Math.max(threshold, report.durationMs ?? 0);
  const id = report.listenId
    ? `l${(await sha256Hex(`${report.listenerKey}\n${report.trackId}\n${report.listenId}`)).slice(0, 31)}`
    : report.playId;
  return {
    id,
    trackId: report.trackId,
    userId: report.userId,
    listenerKey: report.listenerKey,
    listenedMs: report.listenedMs,
    at: report.at,
    since: report.at - window,
  };
}

/**
 * Splits rows into rounds where no two rows share a listener and a track: the n-th report of
 * each (listener, track), in time order, goes in round n. One multi-row INSERT … SELECT checks
 * NOT EXISTS against the table as it was before the statement, so two reports of one listen in
 * the same statement would both count; across statements (rounds run in order inside the batch)
 * each sees the rows the earlier ones inserted, exactly as if the reports were recorded one by one.
 */
function roundsOf(rows: PlayRow[]): PlayRow[][] {
  const seen = new Map<string, number>();
  const rounds: PlayRow[][] = [];
  for (const row of [...rows].sort((a, b) => a.at - b.at)) {
    const key = `${row.listenerKey}\n${row.trackId}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    if (n === rounds.length) rounds.push([]);
    rounds[n]!.push(row);
  }
  return rounds;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** How far back the wall-time budget looks (a listener's plays of one track in the last day). */
const BUDGET_LOOKBACK_MS = 24 * 3600 * 1000;

/**
 * Inserts the rows that are new listens. A track deleted since the report was queued is skipped
 * and a deleted user's play is kept anonymous, so one stale report never fails the batch on a
 * foreign key.
 *
 * Two limits hold against inflated counts, with the track's duration as D1 has it now:
 * - the listened time is clamped to the track's duration (no 24 h listens of a 4 s track);
 * - wall-time budget: each play this listener already has of this track in the last day costs
 *   one full track length (or 30 s when the length is unknown), and together with this listen
 *   they must fit in the time since the first of them started (`created_at - listened_ms`).
 *   One listener therefore counts at most one play per track length, whatever listen ids say.
 * Both are functions of the rows already in D1, so a redelivered batch still counts nothing twice.
 */
function insertPlays(d1: D1Database, rows: PlayRow[]): D1PreparedStatement {
  const values = rows.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ");
  return d1
    .prepare(
      `WITH report (id, track_id, user_id, listener_key, listened_ms, created_at, since) AS (VALUES ${values}),
       candidate AS (
         SELECT r.*,
           MIN(r.listened_ms, COALESCE(t.duration_ms, r.listened_ms)) AS heard,
           COALESCE(NULLIF(t.duration_ms, 0), ${FULL_LISTEN_MS}) AS cost,
           (SELECT COUNT(*) FROM plays p WHERE p.listener_key = r.listener_key AND p.track_id = r.track_id
              AND p.created_at > r.created_at - ${BUDGET_LOOKBACK_MS}) AS earlier,
           (SELECT MIN(p.created_at - p.listened_ms) FROM plays p WHERE p.listener_key = r.listener_key
              AND p.track_id = r.track_id AND p.created_at > r.created_at - ${BUDGET_LOOKBACK_MS}) AS first_start
         FROM report r JOIN tracks t ON t.id = r.track_id
       )
       INSERT INTO plays (id, track_id, user_id, listener_key, listened_ms, created_at)
       SELECT c.id, c.track_id, (SELECT u.id FROM users u WHERE u.id = c.user_id), c.listener_key, c.heard, c.created_at
       FROM candidate c
       WHERE NOT EXISTS (
           SELECT 1 FROM plays p
           WHERE p.listener_key = c.listener_key AND p.track_id = c.track_id AND p.created_at > c.since
         )
         AND c.earlier * c.cost + c.heard
           <= c.created_at - MIN(c.created_at - c.heard, COALESCE(c.first_start, c.created_at))
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(...rows.flatMap((r) => [r.id, r.trackId, r.userId, r.listenerKey, r.listenedMs, r.at, r.since]));
}
