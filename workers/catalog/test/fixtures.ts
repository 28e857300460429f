import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { getDb } from "../../db/client.ts";
import type { TrackStatus, Visibility } from "../../db/schema/index.ts";
import { call, registerUser, type TestUser } from "../../test/http.ts";
import { createTrackDraft, type TrackRow } from "../tracks.ts";

let trackCounter = 0;

export type TrackFixture = Partial<{
  title: string;
  artist: string;
  genre: string;
  tags: string[];
  visibility: Visibility;
  status: TrackStatus;
  durationMs: number;
}>;

/** Inserts a track straight into D1 (audio upload is the media domain's); ready and public unless told. */
export async function createTrack(owner: { id: string }, fixture: TrackFixture = {}): Promise<TrackRow> {
  trackCounter++;
  const db = getDb(env.DB);
  const row = await createTrackDraft(db, {
    ownerId: owner.id,
    title: fixture.title ?? `Fixture track ${trackCounter}`,
    artist: fixture.artist,
    genre: fixture.genre,
    tags: fixture.tags,
    visibility: fixture.visibility,
    status: fixture.status ?? "ready",
  });
  const durationMs = fixture.durationMs === undefined ? 180_000 : fixture.durationMs;
  await env.DB.prepare("UPDATE tracks SET duration_ms = ?1 WHERE id = ?2").bind(durationMs, row.id).run();
  return { ...row, durationMs };
}

export async function makeAdmin(user: TestUser): Promise<TestUser> {
  await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?1").bind(user.id).run();
  return user;
}

/** A user whose account an admin disabled; their token still looks valid but must be refused. */
export async function disabledUser(): Promise<TestUser> {
  const user = await registerUser();
  await env.DB.prepare("UPDATE users SET status = 'disabled' WHERE id = ?1").bind(user.id).run();
  return user;
}

/** A word unique to this run, so search tests never see other tests' rows. */
export function uniqueWord(prefix = "w"): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let word = prefix;
  for (let i = 0; i < 10; i++) word += letters[Math.floor(Math.random() * 26)];
  return word;
}

export async function playCountOf(trackId: string): Promise<number | undefined> {
  const row = await env.DB.prepare("SELECT play_count FROM tracks WHERE id = ?1")
    .bind(trackId)
    .first<{ play_count: number }>();
  return row?.play_count;
}

let sentinelOwner: Promise<TestUser> | undefined;

/**
 * Waits (up to 10 s) until every play report sent before it has been consumed from the `plays`
 * queue: reports a play of a fresh track and polls until it is counted. Miniflare delivers a
 * queue in order, one batch at a time, so by then the earlier reports have been processed too.
 */
export async function playsSettled(): Promise<void> {
  sentinelOwner ??= registerUser();
  const track = await createTrack(await sentinelOwner);
  const response = await call("POST", `/api/v1/tracks/${track.id}/plays`, { body: { listenedMs: 60_000 } });
  if (response.status !== 202) throw new Error(`sentinel play refused: ${response.status}`);
  await vi.waitFor(
    async () => {
      if ((await playCountOf(track.id)) !== 1) throw new Error("the sentinel play is not counted yet");
    },
    { timeout: 10_000, interval: 100 },
  );
}
