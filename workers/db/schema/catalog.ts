import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";

export const TRACK_STATUSES = ["uploading", "processing", "ready", "failed"] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];
export const VISIBILITIES = ["public", "unlisted", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

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
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("tracks_owner_created_idx").on(t.ownerId, t.createdAt),
    index("tracks_listing_idx").on(t.visibility, t.status, t.createdAt),
  ],
);
