import { desc, isNull } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import { messageReports } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { ApiError, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { Page } from "../shared/keyset.ts";
import { roomStub } from "./room-stub.ts";
import { type Summary, summariesOf, visibleRoom } from "./rooms.ts";

export type MessageReport = {
  id: string;
  roomId: string;
  messageId: string;
  messageBody: string;
  author: Summary | null;
  reporter: Summary | null;
  reason: string;
  createdAt: string;
};

/** Reports a message the viewer can see; a copy of its text is kept. 409 when they already did. */
export async function reportMessage(
  env: Env,
  db: Db,
  viewer: AuthUser,
  target: { roomId: string; messageId: string; reason: string },
): Promise<{ id: string }> {
  const access = await visibleRoom(db, target.roomId, viewer);
  const message = await roomStub(env, access.room.id).message(target.messageId);
  if (!message || message.deletedAt) throw notFound("Message");
  const reportId = newId();
  const inserted = await db
    .insert(messageReports)
    .values({
      id: reportId,
      roomId: access.room.id,
      messageId: target.messageId,
      messageUserId: message.userId,
      messageBody: message.body,
      reporterId: viewer.id,
      reason: target.reason,
      createdAt: Date.now(),
    })
    .onConflictDoNothing()
    .returning({ id: messageReports.id });
  if (inserted.length === 0) throw new ApiError(409, "already_reported", "You already reported this message.");
  return { id: reportId };
}

/** Open message reports, newest first (up to 100); for admins (the route checks). */
export async function openReports(db: Db): Promise<Page<MessageReport>> {
  const rows = await db
    .select()
    .from(messageReports)
    .where(isNull(messageReports.resolvedAt))
    .orderBy(desc(messageReports.createdAt))
    .limit(100);
  const people = await summariesOf(
    db,
    rows.flatMap((r) => [r.messageUserId, r.reporterId]),
  );
  const items = rows.map((r) => ({
    id: r.id,
    roomId: r.roomId,
    messageId: r.messageId,
    messageBody: r.messageBody,
    author: people.get(r.messageUserId) ?? null,
    reporter: people.get(r.reporterId) ?? null,
    reason: r.reason,
    createdAt: new Date(r.createdAt).toISOString(),
  }));
  return { items, nextCursor: null };
}
