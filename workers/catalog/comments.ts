import { eq } from "drizzle-orm";
import { avatarUrl } from "../auth/users.ts";
import type { Db } from "../db/client.ts";
import { comments, users } from "../db/schema/index.ts";

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
