import { and, desc, eq, or } from "drizzle-orm";
import { DELETED_USER_ID } from "../auth/deleted-user.ts";
import { assertEmailVerified } from "../auth/email-gate.ts";
import { enforceRateLimit } from "../auth/rate-limit.ts";
import type { AuthUser } from "../auth/types.ts";
import { avatarUrl } from "../auth/users.ts";
import type { Db } from "../db/client.ts";
import { comments, users } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { commentEvent } from "../notifications/events.ts";
import { notify } from "../notifications/notify.ts";
import { badRequest, forbidden, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { afterCursor, keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import { viewableTrack } from "./access.ts";
import type { Viewer } from "./visibility.ts";
import { accountVisibleSql } from "./visibility-sql.ts";

export const commentColumns = {
  comment: comments,
  author: {
    id: users.id,
    username: users.username,
    displayName: users.displayName,
    avatarKey: users.avatarKey,
    updatedAt: users.updatedAt,
  },
};

type CommentWithAuthor = {
  comment: typeof comments.$inferSelect;
  author: { id: string; username: string; displayName: string; avatarKey: string | null; updatedAt: number };
};

export function toCommentResponse({ comment, author }: CommentWithAuthor) {
  return {
    id: comment.id,
    trackId: comment.trackId,
    body: comment.body,
    atMs: comment.atMs,
    createdAt: new Date(comment.createdAt).toISOString(),
    author: { id: author.id, username: author.username, displayName: author.displayName, avatarUrl: avatarUrl(author) },
  };
}

export async function getCommentWithAuthor(db: Db, id: string) {
  return db
    .select(commentColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.userId))
    .where(eq(comments.id, id))
    .get();
}

export type CommentResponse = ReturnType<typeof toCommentResponse>;
export type NewComment = { body: string; atMs?: number };

/** Comments on a track the viewer may open, newest first; a disabled author's are hidden from non-admins. */
export async function listComments(
  db: Db,
  viewer: Viewer,
  trackId: string,
  page: PageRequest,
): Promise<Page<CommentResponse>> {
  const { track } = await viewableTrack(db, trackId, viewer);
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select(commentColumns)
        .from(comments)
        .innerJoin(users, eq(users.id, comments.userId))
        .where(
          and(
            eq(comments.trackId, track.id),
            // A deleted account's comments stay, by the "deleted user".
            or(eq(comments.userId, DELETED_USER_ID), accountVisibleSql(comments.userId, viewer)),
            afterCursor(comments.createdAt, comments.id, after),
          ),
        )
        .orderBy(desc(comments.createdAt), desc(comments.id))
        .limit(take),
    (r) => ({ k: r.comment.createdAt, id: r.comment.id }),
  );
  return shapePage(rows, (items) => items.map(toCommentResponse));
}

/** Comments on a track the viewer may open; `atMs` must fall inside the track. Rate-limited per user. */
export async function addComment(
  env: Env,
  db: Db,
  viewer: AuthUser,
  trackId: string,
  { body, atMs }: NewComment,
): Promise<CommentResponse> {
  assertEmailVerified(viewer);
  const { track } = await viewableTrack(db, trackId, viewer);
  if (atMs !== undefined && track.durationMs !== null && atMs > track.durationMs) {
    throw badRequest(`atMs is past the end of the track (${track.durationMs} ms).`);
  }
  await enforceRateLimit(env, "comment:user", viewer.id);
  const now = Date.now();
  const id = newId(now);
  await db
    .insert(comments)
    .values({ id, trackId: track.id, userId: viewer.id, body, atMs: atMs ?? null, createdAt: now });
  const created = await getCommentWithAuthor(db, id);
  if (!created) throw notFound("Comment");
  await notify(env, track.ownerId, commentEvent(viewer, track, { id, body, atMs: atMs ?? null }));
  return toCommentResponse(created);
}

/** A comment the viewer may delete: its author, the track's owner or an admin (403 otherwise). */
export async function deletableComment(db: Db, viewer: AuthUser, trackId: string, commentId: string) {
  const { track } = await viewableTrack(db, trackId, viewer);
  const comment = await db
    .select()
    .from(comments)
    .where(and(eq(comments.id, commentId), eq(comments.trackId, track.id)))
    .get();
  if (!comment) throw notFound("Comment");
  if (comment.userId !== viewer.id && track.ownerId !== viewer.id && viewer.role !== "admin") {
    throw forbidden("Only the comment's author, the track's owner or an admin can delete it.");
  }
  return { track, comment };
}

export function getComment(db: Db, id: string) {
  return db.select().from(comments).where(eq(comments.id, id)).get();
}

export async function deleteComment(db: Db, id: string): Promise<void> {
  await db.delete(comments).where(eq(comments.id, id));
}
