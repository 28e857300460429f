import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import {
  albums,
  albumTracks,
  likes,
  playlistTracks,
  plays,
  trackOutputs,
  trackRatings,
  tracks,
  users,
} from "../db/schema/index.ts";
import { matchExpression } from "./search.ts";
import type { Viewer } from "./visibility.ts";
import { listableForSql, viewableSql } from "./visibility-sql.ts";

/**
 * The catalog as a music library, for apps that browse by artist and album (the Subsonic API):
 * artists are the accounts that own tracks, albums are Veza albums plus one "Singles" album per
 * artist holding the tracks on no album, songs are tracks that are ready to play. Every list
 * applies `listableForSql` (what the viewer may see in lists); lookups by id apply `viewableSql`.
 */

/** An album key: `al-<albumId>` for a Veza album, `si-<ownerId>` for an artist's singles. */
export type AlbumKey = `al-${string}` | `si-${string}`;
export const SINGLES_TITLE = "Singles";

export function albumKeyOf(albumId: string | null, ownerId: string): AlbumKey {
  return albumId ? `al-${albumId}` : `si-${ownerId}`;
}

const viewerIdOf = (viewer: Viewer) => viewer?.id ?? "";

function songColumns(viewer: Viewer) {
  const me = viewerIdOf(viewer);
  return {
    track: tracks,
    owner: { id: users.id, username: users.username, displayName: users.displayName, status: users.status },
    albumId: albumTracks.albumId,
    albumPosition: albumTracks.position,
    albumTitle: albums.title,
    albumReleasedOn: albums.releasedOn,
    media: {
      renditions: trackOutputs.renditions,
      integratedLufs: trackOutputs.integratedLufs,
      truePeakDbtp: trackOutputs.truePeakDbtp,
      gainDb: trackOutputs.gainDb,
      sampleRate: trackOutputs.sourceSampleRate,
      channels: trackOutputs.sourceChannels,
    },
    starredAt: sql<number | null>`(SELECT ${likes.createdAt} FROM ${likes}
      WHERE ${likes.userId} = ${me} AND ${likes.trackId} = ${tracks.id})`,
    playedAt: sql<number | null>`(SELECT MAX(${plays.createdAt}) FROM ${plays}
      WHERE ${plays.userId} = ${me} AND ${plays.trackId} = ${tracks.id})`,
    rating: sql<number | null>`(SELECT ${trackRatings.rating} FROM ${trackRatings}
      WHERE ${trackRatings.userId} = ${me} AND ${trackRatings.trackId} = ${tracks.id})`,
  };
}

function songsFrom(db: Db, viewer: Viewer) {
  return db
    .select(songColumns(viewer))
    .from(tracks)
    .innerJoin(users, eq(users.id, tracks.ownerId))
    .leftJoin(albumTracks, eq(albumTracks.trackId, tracks.id))
    .leftJoin(albums, eq(albums.id, albumTracks.albumId))
    .leftJoin(trackOutputs, eq(trackOutputs.trackId, tracks.id));
}

export type LibrarySong = Awaited<ReturnType<ReturnType<typeof songsFrom>["all"]>>[number];

/** What may appear in the viewer's lists, and can be played. */
function inLibrary(viewer: Viewer): SQL {
  return and(eq(tracks.status, "ready"), listableForSql(viewer))!;
}

export type SongOrder = "album" | "newest" | "random" | "plays" | "title";

function orderOf(order: SongOrder): SQL[] {
  switch (order) {
    case "album":
      return [asc(albumTracks.position), asc(tracks.createdAt), asc(tracks.id)];
    case "newest":
      return [desc(tracks.createdAt), desc(tracks.id)];
    case "random":
      return [sql`random()`];
    case "plays":
      return [desc(tracks.playCount), desc(tracks.likeCount), desc(tracks.id)];
    case "title":
      return [sql`${tracks.title} COLLATE NOCASE`, asc(tracks.id)];
  }
}

export type SongQuery = {
  ownerId?: string;
  albumKey?: AlbumKey;
  genre?: string;
  starredOnly?: boolean;
  ids?: string[];
  /** Release year (the album's, else the year the track was added), inclusive. */
  fromYear?: number;
  toYear?: number;
  order?: SongOrder;
  limit?: number;
  offset?: number;
};

/** Songs in the viewer's library, narrowed and ordered as asked. */
export async function listSongs(db: Db, viewer: Viewer, query: SongQuery = {}): Promise<LibrarySong[]> {
  const conditions: (SQL | undefined)[] = [inLibrary(viewer)];
  if (query.ownerId) conditions.push(eq(tracks.ownerId, query.ownerId));
  if (query.genre !== undefined) conditions.push(sql`${tracks.genre} = ${query.genre} COLLATE NOCASE`);
  if (query.albumKey?.startsWith("al-")) conditions.push(eq(albumTracks.albumId, query.albumKey.slice(3)));
  if (query.albumKey?.startsWith("si-")) {
    conditions.push(eq(tracks.ownerId, query.albumKey.slice(3)), sql`${albumTracks.albumId} IS NULL`);
  }
  if (query.starredOnly) {
    conditions.push(sql`EXISTS (SELECT 1 FROM ${likes} WHERE ${likes.userId} = ${viewerIdOf(viewer)}
      AND ${likes.trackId} = ${tracks.id})`);
  }
  if (query.fromYear !== undefined || query.toYear !== undefined) {
    const year = sql`CAST(COALESCE(substr(${albums.releasedOn}, 1, 4),
      strftime('%Y', ${tracks.createdAt} / 1000, 'unixepoch')) AS INTEGER)`;
    conditions.push(sql`${year} BETWEEN ${query.fromYear ?? 0} AND ${query.toYear ?? 9999}`);
  }
  if (query.ids) {
    if (query.ids.length === 0) return [];
    conditions.push(inArray(tracks.id, query.ids));
  }
  const rows = songsFrom(db, viewer)
    .where(and(...conditions))
    .orderBy(...orderOf(query.order ?? "newest"))
    .limit(query.limit ?? 500)
    .offset(query.offset ?? 0);
  return rows.all();
}

/** A playlist's songs in order, leaving out any the viewer may not list (check the playlist first). */
export async function playlistSongs(db: Db, viewer: Viewer, playlistId: string): Promise<LibrarySong[]> {
  return songsFrom(db, viewer)
    .innerJoin(playlistTracks, eq(playlistTracks.trackId, tracks.id))
    .where(and(eq(playlistTracks.playlistId, playlistId), inLibrary(viewer)))
    .orderBy(asc(playlistTracks.position))
    .all();
}

/** Songs by id in the order given (ids the viewer may not see, or that are not ready, are left out). */
export async function songsByIds(db: Db, viewer: Viewer, ids: string[]): Promise<LibrarySong[]> {
  const found = new Map<string, LibrarySong>();
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = [...new Set(ids.slice(i, i + 90))];
    const rows = await songsFrom(db, viewer).where(
      and(eq(tracks.status, "ready"), viewableSql(viewer), inArray(tracks.id, chunk)),
    );
    for (const row of rows) found.set(row.track.id, row);
  }
  return ids.flatMap((id) => found.get(id) ?? []);
}

/** One song by id: anything the viewer may open (unlisted included), once it is ready. */
export async function getSong(db: Db, viewer: Viewer, id: string): Promise<LibrarySong | undefined> {
  return songsFrom(db, viewer)
    .where(and(eq(tracks.id, id), eq(tracks.status, "ready"), viewableSql(viewer)))
    .get();
}

/** Full-text search over songs the viewer may list; an empty query pages through the whole library. */
export async function searchSongs(db: Db, viewer: Viewer, query: string, limit: number, offset: number) {
  const match = matchExpression(query);
  if (!match) return listSongs(db, viewer, { order: "title", limit, offset });
  return songsFrom(db, viewer)
    .where(
      and(inLibrary(viewer), sql`${tracks}.rowid IN (SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ${match})`),
    )
    .orderBy(desc(tracks.playCount), desc(tracks.id))
    .limit(limit)
    .offset(offset)
    .all();
}

// ---------------------------------------------------------------------------------------------
// Artists

export type LibraryArtist = {
  id: string;
  username: string;
  displayName: string;
  avatarKey: string | null;
  updatedAt: number;
  albumCount: number;
  songCount: number;
};

/** Accounts with at least one song in the viewer's library, by display name; `match` narrows by name. */
export async function listArtists(
  db: Db,
  viewer: Viewer,
  options: { id?: string; query?: string; limit?: number; offset?: number } = {},
): Promise<LibraryArtist[]> {
  const match = options.query !== undefined ? matchExpression(options.query) : null;
  const conditions: (SQL | undefined)[] = [inLibrary(viewer)];
  if (options.id) conditions.push(eq(users.id, options.id));
  if (match) conditions.push(sql`${users}.rowid IN (SELECT rowid FROM users_fts WHERE users_fts MATCH ${match})`);
  return db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      avatarKey: users.avatarKey,
      updatedAt: users.updatedAt,
      albumCount: sql<number>`COUNT(DISTINCT COALESCE(${albumTracks.albumId}, ''))`,
      songCount: sql<number>`COUNT(*)`,
    })
    .from(tracks)
    .innerJoin(users, eq(users.id, tracks.ownerId))
    .leftJoin(albumTracks, eq(albumTracks.trackId, tracks.id))
    .where(and(...conditions))
    .groupBy(users.id)
    .orderBy(sql`${users.displayName} COLLATE NOCASE`, asc(users.id))
    .limit(options.limit ?? 10_000)
    .offset(options.offset ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Albums

export type LibraryAlbum = {
  key: AlbumKey;
  albumId: string | null;
  title: string;
  ownerId: string;
  ownerName: string;
  releasedOn: string | null;
  albumCoverKey: string | null;
  songCount: number;
  durationMs: number;
  playCount: number;
  createdAt: number;
  genre: string;
  starredAt: number | null;
  playedAt: number | null;
};

export type AlbumOrder =
  | "random"
  | "newest"
  | "highest"
  | "frequent"
  | "recent"
  | "alphabeticalByName"
  | "alphabeticalByArtist"
  | "starred"
  | "byYear"
  | "byGenre";

export type AlbumQuery = {
  order?: AlbumOrder;
  key?: AlbumKey;
  ownerId?: string;
  genre?: string;
  fromYear?: number;
  toYear?: number;
  /** Album titles containing these words (search). */
  titleQuery?: string;
  limit?: number;
  offset?: number;
};

type AlbumSqlRow = {
  album_key: AlbumKey;
  album_id: string | null;
  title: string | null;
  owner_id: string;
  owner_name: string;
  released_on: string | null;
  album_cover_key: string | null;
  song_count: number;
  duration_ms: number;
  play_count: number;
  created_at: number;
  genre: string | null;
  starred_at: number | null;
  played_at: number | null;
  year: number;
};

/**
 * Albums with at least one song the viewer may list; counts and durations cover those songs only,
 * so an album never reveals tracks its viewer cannot see. Starred means the viewer liked one of
 * its songs (Veza has no album likes); recent means the viewer played one.
 */
export async function listAlbums(db: Db, viewer: Viewer, query: AlbumQuery = {}): Promise<LibraryAlbum[]> {
  const me = viewerIdOf(viewer);
  const where: SQL[] = [];
  if (query.key) where.push(sql`album_key = ${query.key}`);
  if (query.ownerId) where.push(sql`grouped.owner_id = ${query.ownerId}`);
  if (query.genre !== undefined) {
    where.push(sql`EXISTS (SELECT 1 FROM visible v WHERE v.album_key = grouped.album_key
      AND v.genre = ${query.genre} COLLATE NOCASE)`);
  }
  if (query.titleQuery !== undefined) {
    const words = query.titleQuery.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const word of words.slice(0, 8)) {
      where.push(sql`lower(title) LIKE ${`%${word}%`}`);
    }
  }
  const order = query.order ?? "newest";
  if (order === "starred") where.push(sql`starred_at IS NOT NULL`);
  if (order === "recent") where.push(sql`played_at IS NOT NULL`);
  if (order === "byYear") {
    const from = query.fromYear ?? 0;
    const to = query.toYear ?? 9999;
    where.push(sql`year BETWEEN ${Math.min(from, to)} AND ${Math.max(from, to)}`);
  }
  const orderBy = {
    random: sql`random()`,
    newest: sql`created_at DESC, album_key DESC`,
    highest: sql`like_count DESC, play_count DESC, album_key`,
    frequent: sql`play_count DESC, album_key`,
    recent: sql`played_at DESC, album_key`,
    alphabeticalByName: sql`title COLLATE NOCASE, album_key`,
    alphabeticalByArtist: sql`owner_name COLLATE NOCASE, title COLLATE NOCASE, album_key`,
    starred: sql`starred_at DESC, album_key`,
    byYear: (query.fromYear ?? 0) > (query.toYear ?? 9999) ? sql`year DESC, album_key` : sql`year ASC, album_key`,
    byGenre: sql`title COLLATE NOCASE, album_key`,
  }[order];

  const rows = await db.all<AlbumSqlRow>(sql`
    WITH visible AS (
      SELECT ${tracks.id} AS track_id, ${tracks.ownerId} AS owner_id, ${tracks.genre} AS genre,
        ${tracks.durationMs} AS duration_ms, ${tracks.playCount} AS play_count, ${tracks.likeCount} AS like_count,
        ${tracks.createdAt} AS created_at, ${albumTracks.albumId} AS album_id,
        COALESCE('al-' || ${albumTracks.albumId}, 'si-' || ${tracks.ownerId}) AS album_key
      FROM ${tracks} LEFT JOIN ${albumTracks} ON ${albumTracks.trackId} = ${tracks.id}
      WHERE ${inLibrary(viewer)}
    ),
    grouped AS (
      SELECT album_key, MAX(album_id) AS album_id, MAX(owner_id) AS owner_id, COUNT(*) AS song_count,
        SUM(COALESCE(duration_ms, 0)) AS duration_ms, SUM(play_count) AS play_count, SUM(like_count) AS like_count,
        MAX(created_at) AS last_created, MAX(genre) AS genre,
        (SELECT MAX(l.created_at) FROM likes l JOIN visible v2 ON v2.track_id = l.track_id
          WHERE l.user_id = ${me} AND v2.album_key = visible.album_key) AS starred_at,
        (SELECT MAX(p.created_at) FROM plays p JOIN visible v3 ON v3.track_id = p.track_id
          WHERE p.user_id = ${me} AND v3.album_key = visible.album_key) AS played_at
      FROM visible GROUP BY album_key
    )
    SELECT * FROM (
      SELECT grouped.album_key, grouped.album_id, COALESCE(albums.title, ${SINGLES_TITLE}) AS title,
        grouped.owner_id, users.display_name AS owner_name, albums.released_on,
        albums.cover_key AS album_cover_key, grouped.song_count, grouped.duration_ms, grouped.play_count,
        grouped.like_count, COALESCE(albums.created_at, grouped.last_created) AS created_at, grouped.genre,
        grouped.starred_at, grouped.played_at,
        CAST(COALESCE(substr(albums.released_on, 1, 4),
          strftime('%Y', COALESCE(albums.created_at, grouped.last_created) / 1000, 'unixepoch')) AS INTEGER) AS year
      FROM grouped
      JOIN users ON users.id = grouped.owner_id
      LEFT JOIN albums ON albums.id = grouped.album_id
    ) AS grouped
    ${where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
    ORDER BY ${orderBy}
    LIMIT ${query.limit ?? 500} OFFSET ${query.offset ?? 0}`);
  return rows.map((r) => ({
    key: r.album_key,
    albumId: r.album_id,
    title: r.title ?? SINGLES_TITLE,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    releasedOn: r.released_on,
    albumCoverKey: r.album_cover_key,
    songCount: r.song_count,
    durationMs: r.duration_ms,
    playCount: r.play_count,
    createdAt: r.created_at,
    genre: r.genre ?? "",
    starredAt: r.starred_at,
    playedAt: r.played_at,
  }));
}

export async function getLibraryAlbum(db: Db, viewer: Viewer, key: AlbumKey): Promise<LibraryAlbum | undefined> {
  return (await listAlbums(db, viewer, { key, limit: 1 }))[0];
}

// ---------------------------------------------------------------------------------------------
// Genres

export type LibraryGenre = { name: string; songCount: number; albumCount: number };

export async function listGenres(db: Db, viewer: Viewer): Promise<LibraryGenre[]> {
  return db
    .select({
      name: tracks.genre,
      songCount: sql<number>`COUNT(*)`,
      albumCount: sql<number>`COUNT(DISTINCT COALESCE('al-' || ${albumTracks.albumId}, 'si-' || ${tracks.ownerId}))`,
    })
    .from(tracks)
    .leftJoin(albumTracks, eq(albumTracks.trackId, tracks.id))
    .where(and(inLibrary(viewer), sql`${tracks.genre} <> ''`))
    .groupBy(sql`${tracks.genre} COLLATE NOCASE`)
    .orderBy(sql`${tracks.genre} COLLATE NOCASE`);
}
