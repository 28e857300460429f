import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { follows } from "../db/schema/index.ts";

/** Whether `followerId` follows `followeeId`. */
export async function isFollowing(db: Db, followerId: string, followeeId: string): Promise<boolean> {
  const row = await db
    .select({ at: follows.createdAt })
    .from(follows)
    .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followeeId)))
    .get();
  return !!row;
}

/** A subquery of the ids `followerId` follows, for `IN (…)` in another domain's query. */
export function followeeIdsSql(followerId: string): SQL {
  return sql`(SELECT ${follows.followeeId} FROM ${follows} WHERE ${follows.followerId} = ${followerId})`;
}
