import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";
import { tracks } from "./catalog.ts";

/** `purged`: the original of a track that failed for good was deleted from storage after a grace period. */
export const UPLOAD_STATUSES = ["uploading", "completed", "purged"] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

/** One resumable upload of a track's original into an R2 multipart upload; kept after completion as the original's record. */
export const uploads = sqliteTable(
  "uploads",
  {
    id: text("id").primaryKey(),
    trackId: text("track_id")
      .notNull()
      .unique()
      .references(() => tracks.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** R2's multipart upload id (resumeMultipartUpload). */
    r2UploadId: text("r2_upload_id").notNull(),
    objectKey: text("object_key").notNull(),
    filename: text("filename").notNull(),
    /** What the client said; informative only — the type is decided by sniffing. */
    declaredType: text("declared_type").notNull(),
    size: integer("size").notNull(),
    partSize: integer("part_size").notNull(),
    status: text("status", { enum: UPLOAD_STATUSES }).notNull().default("uploading"),
    /** Sniffed from part 1's bytes, re-checked on the completed object. */
    mimeType: text("mime_type"),
    sha256: text("sha256"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    completedAt: integer("completed_at"),
  },
  (t) => [index("uploads_status_created_idx").on(t.status, t.createdAt), index("uploads_user_idx").on(t.userId)],
);

/** Parts received so far (R2 cannot list them): re-sending a part replaces its row. */
export const uploadParts = sqliteTable(
  "upload_parts",
  {
    uploadId: text("upload_id")
      .notNull()
      .references(() => uploads.id, { onDelete: "cascade" }),
    part: integer("part").notNull(),
    etag: text("etag").notNull(),
    size: integer("size").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.part] })],
);
