import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";

export const TRACK_STATUSES = ["uploading", "processing", "ready", "failed"] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];
export const VISIBILITIES = ["public", "unlisted", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

// Counters (play/like/comment/follower counts) are maintained by triggers on the event tables
// (migration catalog_search_and_counters), so every write path, cascades included, keeps them exact.

export const tracks = sqliteTable(
  "tracks",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    /** The artist name shown on the track; defaults to the owner's display name. */
    artist: text("artist").notNull(),
    genre: text("genre").notNull().default(""),
    /** JSON array of lowercase tags. */
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    description: text("description").notNull().default(""),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("public"),
    status: text("status", { enum: TRACK_STATUSES }).notNull().default("uploading"),
    failureReason: text("failure_reason"),
    durationMs: integer("duration_ms"),
    coverKey: text("cover_key"),
    /** The artist offers the original for download (metadata stripped); otherwise only they and admins get it. */
    downloadable: integer("downloadable", { mode: "boolean" }).notNull().default(false),
    /**
     * Part of every signed media URL and of the edge-cache key of public files: bumped when the
     * track stops being public, so URLs and cache entries made before no longer match.
     */
    mediaVersion: integer("media_version").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    playCount: integer("play_count").notNull().default(0),
    likeCount: integer("like_count").notNull().default(0),
    commentCount: integer("comment_count").notNull().default(0),
  },
  (t) => [
    index("tracks_owner_created_idx").on(t.ownerId, t.createdAt),
    index("tracks_listing_idx").on(t.visibility, t.status, t.createdAt),
  ],
);

/** Follower/following counts per user, kept by triggers on `follows`. */
export const userStats = sqliteTable("user_stats", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  followerCount: integer("follower_count").notNull().default(0),
  followingCount: integer("following_count").notNull().default(0),
});

export const follows = sqliteTable(
  "follows",
  {
    followerId: text("follower_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    followeeId: text("followee_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.followerId, t.followeeId] }),
    index("follows_followee_created_idx").on(t.followeeId, t.createdAt),
    index("follows_follower_created_idx").on(t.followerId, t.createdAt),
  ],
);

export const albums = sqliteTable(
  "albums",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    /** Calendar date of release, `YYYY-MM-DD`. */
    releasedOn: text("released_on"),
    coverKey: text("cover_key"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("albums_owner_created_idx").on(t.ownerId, t.createdAt)],
);

/** A track belongs to at most one album; `position` orders the album. */
export const albumTracks = sqliteTable(
  "album_tracks",
  {
    trackId: text("track_id")
      .primaryKey()
      .references(() => tracks.id, { onDelete: "cascade" }),
    albumId: text("album_id")
      .notNull()
      .references(() => albums.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [index("album_tracks_album_position_idx").on(t.albumId, t.position)],
);

export const playlists = sqliteTable(
  "playlists",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("public"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("playlists_owner_created_idx").on(t.ownerId, t.createdAt),
    index("playlists_listing_idx").on(t.visibility, t.createdAt),
  ],
);

/**
 * Entries of a playlist. Positions are dense (0..n-1) per playlist; every change rewrites them
 * in one atomic batch computed inside SQL, so concurrent edits never duplicate a position.
 */
export const playlistTracks = sqliteTable(
  "playlist_tracks",
  {
    playlistId: text("playlist_id")
      .notNull()
      .references(() => playlists.id, { onDelete: "cascade" }),
    trackId: text("track_id")
      .notNull()
      .references(() => tracks.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    addedAt: integer("added_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.playlistId, t.trackId] }),
    index("playlist_tracks_position_idx").on(t.playlistId, t.position),
    index("playlist_tracks_track_idx").on(t.trackId),
  ],
);

export const likes = sqliteTable(
  "likes",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    trackId: text("track_id")
      .notNull()
      .references(() => tracks.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.trackId] }),
    index("likes_track_idx").on(t.trackId),
    index("likes_user_created_idx").on(t.userId, t.createdAt),
  ],
);

export const comments = sqliteTable(
  "comments",
  {
    id: text("id").primaryKey(),
    trackId: text("track_id")
      .notNull()
      .references(() => tracks.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    /** Position in the track the comment refers to (the waveform marker), if any. */
    atMs: integer("at_ms"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("comments_track_created_idx").on(t.trackId, t.createdAt)],
);

/** One row per counted listen: the listening history, and the source of play counters. */
export const plays = sqliteTable(
  "plays",
  {
    id: text("id").primaryKey(),
    trackId: text("track_id")
      .notNull()
      .references(() => tracks.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    /** Who listened: `u:<userId>` or `ip:<hash>` for anonymous listeners; dedupes one listen. */
    listenerKey: text("listener_key").notNull(),
    listenedMs: integer("listened_ms").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("plays_listener_track_created_idx").on(t.listenerKey, t.trackId, t.createdAt),
    index("plays_user_created_idx").on(t.userId, t.createdAt),
  ],
);

/** Plays per track per UTC day (days since the epoch), for trending. Kept by a trigger on `plays`. */
export const trackDailyPlays = sqliteTable(
  "track_daily_plays",
  {
    trackId: text("track_id")
      .notNull()
      .references(() => tracks.id, { onDelete: "cascade" }),
    day: integer("day").notNull(),
    plays: integer("plays").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.trackId, t.day] }), index("track_daily_plays_day_idx").on(t.day)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    reason: text("reason").notNull().default(""),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("audit_log_created_idx").on(t.createdAt)],
);

/** A listener's 1–5 star rating of a track (Subsonic setRating); no row means unrated. */
export const trackRatings = sqliteTable(
  "track_ratings",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    trackId: text("track_id")
      .notNull()
      .references(() => tracks.id, { onDelete: "cascade" }),
    rating: integer("rating").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.trackId] })],
);

/** What each listener is playing right now, as their player last reported it (one row per user). */
export const nowPlaying = sqliteTable(
  "now_playing",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    trackId: text("track_id")
      .notNull()
      .references(() => tracks.id, { onDelete: "cascade" }),
    /** The app that reported it (Subsonic `c`). */
    client: text("client").notNull().default(""),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("now_playing_updated_idx").on(t.updatedAt)],
);

/** A listener's saved play queue, so another device can resume it (Subsonic savePlayQueue). */
export const playQueues = sqliteTable("play_queues", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** JSON array of track ids in queue order. */
  trackIds: text("track_ids", { mode: "json" }).$type<string[]>().notNull(),
  currentTrackId: text("current_track_id"),
  positionMs: integer("position_ms").notNull().default(0),
  changedBy: text("changed_by").notNull().default(""),
  updatedAt: integer("updated_at").notNull(),
});
