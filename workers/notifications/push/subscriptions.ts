import { and, asc, desc, eq, inArray, notInArray } from "drizzle-orm";
import { getDb } from "../../db/client.ts";
import { pushSubscriptions } from "../../db/schema/index.ts";
import { newId } from "../../shared/ids.ts";

/** Devices one account may have subscribed; a new one beyond this replaces the longest-standing. */
export const MAX_SUBSCRIPTIONS_PER_USER = 20;

export type SubscriptionRow = typeof pushSubscriptions.$inferSelect;

export type NewSubscription = { endpoint: string; p256dh: string; auth: string; locale: string; userAgent: string };

/** A device as its owner sees it (never the keys). */
export type DeviceSummary = {
  id: string;
  endpoint: string;
  userAgent: string;
  createdAt: string;
  lastDeliveredAt: string | null;
};

export function toDeviceSummary(row: SubscriptionRow): DeviceSummary {
  return {
    id: row.id,
    endpoint: row.endpoint,
    userAgent: row.userAgent,
    createdAt: new Date(row.createdAt).toISOString(),
    lastDeliveredAt: row.lastDeliveredAt === null ? null : new Date(row.lastDeliveredAt).toISOString(),
  };
}

/**
 * Saves the browser's subscription for `userId`. The endpoint identifies the browser: subscribing
 * again (new keys after a reinstall, another account signed in on the same browser) updates the row.
 */
export async function saveSubscription(
  d1: D1Database,
  userId: string,
  input: NewSubscription,
): Promise<{ subscription: SubscriptionRow; created: boolean }> {
  const db = getDb(d1);
  const existing = await db
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.endpoint, input.endpoint))
    .get();
  // The same browser for the same account: an update. For another account it is a new device of
  // theirs (a fresh id, so the previous owner's id no longer reaches it).
  const sameOwner = existing?.userId === userId;
  const row: SubscriptionRow =
    existing && sameOwner
      ? { ...existing, ...input }
      : { id: newId(), userId, ...input, createdAt: Date.now(), lastDeliveredAt: null };
  const { endpoint: _, ...changed } = row;
  await db
    .insert(pushSubscriptions)
    .values(row)
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: changed })
    .run();
  await dropBeyondLimit(d1, userId);
  return { subscription: row, created: !sameOwner };
}

async function dropBeyondLimit(d1: D1Database, userId: string): Promise<void> {
  const db = getDb(d1);
  const keep = db
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(desc(pushSubscriptions.createdAt), desc(pushSubscriptions.id))
    .limit(MAX_SUBSCRIPTIONS_PER_USER);
  await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), notInArray(pushSubscriptions.id, keep)))
    .run();
}

export async function listSubscriptions(d1: D1Database, userId: string): Promise<SubscriptionRow[]> {
  return getDb(d1)
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(asc(pushSubscriptions.createdAt), asc(pushSubscriptions.id))
    .all();
}

export async function getSubscription(d1: D1Database, id: string): Promise<SubscriptionRow | undefined> {
  return getDb(d1).select().from(pushSubscriptions).where(eq(pushSubscriptions.id, id)).get();
}

/** Removes one of the user's devices by id or by endpoint; false when it was not theirs or not there. */
export async function removeSubscription(
  d1: D1Database,
  userId: string,
  which: { id: string } | { endpoint: string },
): Promise<boolean> {
  const match = "id" in which ? eq(pushSubscriptions.id, which.id) : eq(pushSubscriptions.endpoint, which.endpoint);
  const result = await getDb(d1)
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), match))
    .run();
  return result.meta.changes > 0;
}

/** Deletes subscriptions the push service answered 404/410 for: the browser dropped them. */
export async function pruneSubscriptions(d1: D1Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await getDb(d1).delete(pushSubscriptions).where(inArray(pushSubscriptions.id, ids)).run();
}

export async function markDelivered(d1: D1Database, ids: string[], at: number): Promise<void> {
  if (ids.length === 0) return;
  await getDb(d1)
    .update(pushSubscriptions)
    .set({ lastDeliveredAt: at })
    .where(inArray(pushSubscriptions.id, ids))
    .run();
}

/** Which of `userIds` have at least one device to push to (one query per 99 ids: D1 binds at most 100). */
export async function usersWithDevices(d1: D1Database, userIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < userIds.length; i += 99) {
    const rows = await getDb(d1)
      .selectDistinct({ userId: pushSubscriptions.userId })
      .from(pushSubscriptions)
      .where(inArray(pushSubscriptions.userId, userIds.slice(i, i + 99)))
      .all();
    for (const row of rows) found.add(row.userId);
  }
  return found;
}
