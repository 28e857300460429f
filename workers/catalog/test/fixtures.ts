import { env } from "cloudflare:workers";
import { getDb } from "../../db/client.ts";
import type { TrackStatus, Visibility } from "../../db/schema/index.ts";
import { registerUser, type TestUser } from "../../test/http.ts";
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
