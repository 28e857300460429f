import { roomStub } from "../../chat/room-stub.ts";
import type { Env } from "../../env.ts";
import { listApiKeys, listAppPasswords } from "../app-credentials.ts";
import { findUserById, toSelfUser } from "../users.ts";

// What the data export reads, section by section. Each list is read in pages (keyset on rowid),
// so a large account is streamed out without ever being held in memory whole.

const PAGE = 200;
/** Chat messages exported per room (newest rooms are not favoured: the oldest messages come first). */
export const MAX_MESSAGES_PER_ROOM = 20_000;
const MESSAGE_PAGE = 500;

/**
 * The title and artist of a track the user touched (liked, played, listed, commented on), or null
 * when they may no longer see it (made private, or its owner's account disabled): the user's own
 * action is theirs to export, another artist's hidden track is not.
 */
const shownTrack = (param: string) =>
  `CASE WHEN t.owner_id = ${param} OR (t.visibility != 'private' AND EXISTS (
     SELECT 1 FROM users o WHERE o.id = t.owner_id AND o.status = 'active')) THEN t.title END AS title,
   CASE WHEN t.owner_id = ${param} OR (t.visibility != 'private' AND EXISTS (
     SELECT 1 FROM users o WHERE o.id = t.owner_id AND o.status = 'active')) THEN t.artist END AS artist`;

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Rows of `query` (which binds the user as ?1, the last rowid seen as ?2 and the page size as ?3, and selects `rowid AS k`). */
async function* paged<Row extends { k: number }>(d1: D1Database, query: string, userId: string): AsyncGenerator<Row> {
  let after = 0;
  for (;;) {
    const { results } = await d1.prepare(query).bind(userId, after, PAGE).all<Row>();
    yield* results;
    if (results.length < PAGE) return;
    after = results.at(-1)?.k ?? after;
  }
}

async function* mapped<Row, Out>(rows: AsyncIterable<Row>, map: (row: Row) => Out | Promise<Out>): AsyncGenerator<Out> {
  for await (const row of rows) yield await map(row);
}

export async function profileOf(env: Env, userId: string) {
  const row = await findUserById(env.DB, userId);
  if (!row) return null;
  const stats = await env.DB.prepare("SELECT follower_count, following_count FROM user_stats WHERE user_id = ?1")
    .bind(userId)
    .first<{ follower_count: number; following_count: number }>();
  return {
    ...toSelfUser(row),
    status: row.status,
    updatedAt: iso(row.updatedAt),
    followerCount: stats?.follower_count ?? 0,
    followingCount: stats?.following_count ?? 0,
  };
}

/** Signed-in devices: how, from what browser and where each signed in, when it was last used, and whether it still is. */
export async function sessionsOf(env: Env, userId: string, now: number) {
  const { results } = await env.DB.prepare(
    `SELECT s.id, s.method, s.user_agent, s.city, s.country, s.created_at, s.last_used_at,
            EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = s.id AND r.revoked_at IS NULL AND r.expires_at > ?2) AS live
       FROM sessions s WHERE s.user_id = ?1 ORDER BY s.created_at`,
  )
    .bind(userId, now)
    .all<{
      id: string;
      method: string;
      user_agent: string;
      city: string | null;
      country: string | null;
      created_at: number;
      last_used_at: number;
      live: number;
    }>();
  return results.map((r) => ({
    id: r.id,
    method: r.method,
    userAgent: r.user_agent,
    city: r.city,
    country: r.country,
    signedInAt: iso(r.created_at),
    lastUsedAt: iso(r.last_used_at),
    active: r.live === 1,
  }));
}

/** Accounts at sign-in providers linked to this one (which provider, its label and email; no tokens are kept). */
export async function signInProvidersOf(env: Env, userId: string) {
  const { results } = await env.DB.prepare(
    "SELECT provider, label, email, created_at, last_used_at FROM oauth_identities WHERE user_id = ?1 ORDER BY created_at",
  )
    .bind(userId)
    .all<{ provider: string; label: string; email: string | null; created_at: number; last_used_at: number | null }>();
  return results.map((r) => ({
    provider: r.provider,
    label: r.label,
    email: r.email,
    linkedAt: iso(r.created_at),
    lastUsedAt: iso(r.last_used_at),
  }));
}

/** Names and dates of app passwords and API keys; never the secrets. */
export async function credentialsOf(env: Env, userId: string) {
  return { appPasswords: await listAppPasswords(env, userId), apiKeys: await listApiKeys(env, userId) };
}

type TrackRow = {
  k: number;
  id: string;
  title: string;
  artist: string;
  genre: string;
  tags: string;
  description: string;
  visibility: string;
  status: string;
  duration_ms: number | null;
  downloadable: number;
  cover_key: string | null;
  play_count: number;
  like_count: number;
  comment_count: number;
  created_at: number;
  updated_at: number;
  album_id: string | null;
};

export function tracksOf(env: Env, userId: string) {
  return mapped(
    paged<TrackRow>(
      env.DB,
      `SELECT t.rowid AS k, t.*, a.album_id FROM tracks t LEFT JOIN album_tracks a ON a.track_id = t.id
        WHERE t.owner_id = ?1 AND t.rowid > ?2 ORDER BY t.rowid LIMIT ?3`,
      userId,
    ),
    (t) => ({
      id: t.id,
      title: t.title,
      artist: t.artist,
      genre: t.genre,
      tags: JSON.parse(t.tags) as string[],
      description: t.description,
      visibility: t.visibility,
      status: t.status,
      durationMs: t.duration_ms,
      downloadable: t.downloadable === 1,
      albumId: t.album_id,
      playCount: t.play_count,
      likeCount: t.like_count,
      commentCount: t.comment_count,
      createdAt: iso(t.created_at),
      updatedAt: iso(t.updated_at),
      // Where the files are: each answers the owner (signed in) with the file or a signed URL to it.
      media: {
        original: `/api/v1/tracks/${t.id}/stream?quality=original`,
        cover: t.cover_key ? `/api/v1/tracks/${t.id}/cover` : null,
      },
    }),
  );
}

export function albumsOf(env: Env, userId: string) {
  return mapped(
    paged<{
      k: number;
      id: string;
      title: string;
      description: string;
      released_on: string | null;
      cover_key: string | null;
      created_at: number;
      track_ids: string | null;
    }>(
      env.DB,
      `SELECT al.rowid AS k, al.id, al.title, al.description, al.released_on, al.cover_key, al.created_at,
              (SELECT json_group_array(track_id) FROM (SELECT track_id FROM album_tracks WHERE album_id = al.id ORDER BY position)) AS track_ids
         FROM albums al WHERE al.owner_id = ?1 AND al.rowid > ?2 ORDER BY al.rowid LIMIT ?3`,
      userId,
    ),
    (a) => ({
      id: a.id,
      title: a.title,
      description: a.description,
      releasedOn: a.released_on,
      createdAt: iso(a.created_at),
      trackIds: JSON.parse(a.track_ids ?? "[]") as string[],
      cover: a.cover_key ? `/api/v1/albums/${a.id}/cover` : null,
    }),
  );
}

export function playlistsOf(env: Env, userId: string) {
  return mapped(
    paged<{
      k: number;
      id: string;
      title: string;
      description: string;
      visibility: string;
      created_at: number;
      updated_at: number;
    }>(
      env.DB,
      "SELECT rowid AS k, * FROM playlists WHERE owner_id = ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3",
      userId,
    ),
    async (p) => {
      // A playlist's entries are capped (playlist_full), so one query per playlist is bounded.
      const { results } = await env.DB.prepare(
        `SELECT pt.position, pt.track_id, pt.added_at, ${shownTrack("?2")} FROM playlist_tracks pt
           JOIN tracks t ON t.id = pt.track_id WHERE pt.playlist_id = ?1 ORDER BY pt.position`,
      )
        .bind(p.id, userId)
        .all<{ position: number; track_id: string; added_at: number; title: string | null; artist: string | null }>();
      return {
        id: p.id,
        title: p.title,
        description: p.description,
        visibility: p.visibility,
        createdAt: iso(p.created_at),
        updatedAt: iso(p.updated_at),
        items: results.map((i) => ({
          position: i.position,
          trackId: i.track_id,
          title: i.title,
          artist: i.artist,
          addedAt: iso(i.added_at),
        })),
      };
    },
  );
}

export function likesOf(env: Env, userId: string) {
  return mapped(
    paged<{ k: number; track_id: string; created_at: number; title: string | null; artist: string | null }>(
      env.DB,
      `SELECT l.rowid AS k, l.track_id, l.created_at, ${shownTrack("?1")} FROM likes l JOIN tracks t ON t.id = l.track_id
        WHERE l.user_id = ?1 AND l.rowid > ?2 ORDER BY l.rowid LIMIT ?3`,
      userId,
    ),
    (l) => ({ trackId: l.track_id, title: l.title, artist: l.artist, likedAt: iso(l.created_at) }),
  );
}

/** Who the user follows (their own choices, listed); who follows them is other people's data, so only counted (profile). */
export function followingOf(env: Env, userId: string) {
  return mapped(
    paged<{ k: number; username: string; display_name: string; created_at: number }>(
      env.DB,
      `SELECT f.rowid AS k, u.username, u.display_name, f.created_at FROM follows f JOIN users u ON u.id = f.followee_id
        WHERE f.follower_id = ?1 AND f.rowid > ?2 ORDER BY f.rowid LIMIT ?3`,
      userId,
    ),
    (f) => ({ username: f.username, displayName: f.display_name, followedAt: iso(f.created_at) }),
  );
}

export function listeningHistoryOf(env: Env, userId: string) {
  return mapped(
    paged<{
      k: number;
      track_id: string;
      listened_ms: number;
      created_at: number;
      title: string | null;
      artist: string | null;
    }>(
      env.DB,
      `SELECT p.rowid AS k, p.track_id, p.listened_ms, p.created_at, ${shownTrack("?1")} FROM plays p
         JOIN tracks t ON t.id = p.track_id WHERE p.user_id = ?1 AND p.rowid > ?2 ORDER BY p.rowid LIMIT ?3`,
      userId,
    ),
    (p) => ({
      trackId: p.track_id,
      title: p.title,
      artist: p.artist,
      listenedMs: p.listened_ms,
      playedAt: iso(p.created_at),
    }),
  );
}

export function commentsOf(env: Env, userId: string) {
  return mapped(
    paged<{
      k: number;
      id: string;
      track_id: string;
      body: string;
      at_ms: number | null;
      created_at: number;
      title: string;
    }>(
      env.DB,
      `SELECT c.rowid AS k, c.id, c.track_id, c.body, c.at_ms, c.created_at, ${shownTrack("?1")} FROM comments c
         JOIN tracks t ON t.id = c.track_id WHERE c.user_id = ?1 AND c.rowid > ?2 ORDER BY c.rowid LIMIT ?3`,
      userId,
    ),
    (c) => ({
      id: c.id,
      trackId: c.track_id,
      trackTitle: c.title,
      body: c.body,
      atMs: c.at_ms,
      createdAt: iso(c.created_at),
    }),
  );
}

export async function blocksOf(env: Env, userId: string) {
  const { results } = await env.DB.prepare(
    `SELECT u.username, b.created_at FROM user_blocks b JOIN users u ON u.id = b.blocked_id
      WHERE b.blocker_id = ?1 ORDER BY b.created_at`,
  )
    .bind(userId)
    .all<{ username: string; created_at: number }>();
  return results.map((b) => ({ username: b.username, blockedAt: iso(b.created_at) }));
}

type RoomRow = {
  k: number;
  id: string;
  kind: string;
  name: string;
  role: string;
  joined_at: number;
  other: string | null;
};

/**
 * The rooms the user is in (D1's `room_members`), each with the messages they wrote there, read
 * from the room's object a page at a time (at most MAX_MESSAGES_PER_ROOM per room). `dm` selects
 * direct messages or the other rooms.
 */
export function chatOf(env: Env, userId: string, dm: boolean) {
  return mapped(
    paged<RoomRow>(
      env.DB,
      `SELECT m.rowid AS k, r.id, r.kind, r.name, m.role, m.joined_at,
              (SELECT u.username FROM room_members o JOIN users u ON u.id = o.user_id
                WHERE o.room_id = r.id AND o.user_id != ?1 LIMIT 1) AS other
         FROM room_members m JOIN rooms r ON r.id = m.room_id
        WHERE m.user_id = ?1 AND m.rowid > ?2 AND r.kind ${dm ? "=" : "!="} 'dm' ORDER BY m.rowid LIMIT ?3`,
      userId,
    ),
    async (room) => ({
      roomId: room.id,
      ...(dm ? { with: room.other } : { kind: room.kind, name: room.name, role: room.role }),
      joinedAt: iso(room.joined_at),
      messages: messagesIn(env, room.id, userId),
    }),
  );
}

async function* messagesIn(env: Env, roomId: string, userId: string) {
  const stub = roomStub(env, roomId);
  let after = 0;
  let count = 0;
  while (count < MAX_MESSAGES_PER_ROOM) {
    const page = await stub.messagesByAuthor(userId, after, Math.min(MESSAGE_PAGE, MAX_MESSAGES_PER_ROOM - count));
    for (const m of page.messages) {
      yield {
        id: m.id,
        body: m.body,
        createdAt: m.createdAt,
        ...(m.editedAt ? { editedAt: m.editedAt } : {}),
        ...(m.replyTo ? { replyTo: m.replyTo } : {}),
      };
    }
    count += page.messages.length;
    if (page.nextAfter === null) return;
    after = page.nextAfter;
  }
}
