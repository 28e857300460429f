import type { Audience, AudienceCursor } from "./fanout-message.ts";

/**
 * One keyset page of the people an event goes to, never including `actorId`: active accounts
 * only, nobody who blocked the actor or whom the actor blocked. Followers are read in follow
 * order through the (followee_id, created_at) index, so every page costs the same however deep.
 */
export async function audiencePage(
  db: D1Database,
  audience: Audience,
  actorId: string,
  after: AudienceCursor,
  limit: number,
): Promise<{ ids: string[]; next: AudienceCursor }> {
  const notBlocked = `NOT EXISTS (SELECT 1 FROM user_blocks b
      WHERE (b.blocker_id = u.id AND b.blocked_id = ?2) OR (b.blocker_id = ?2 AND b.blocked_id = u.id))`;
  if (audience.type === "followers") {
    const notBanned = audience.bannedFrom
      ? "AND NOT EXISTS (SELECT 1 FROM room_bans rb WHERE rb.room_id = ?6 AND rb.user_id = u.id)"
      : "";
    const { results } = await db
      .prepare(
        `SELECT f.follower_id AS id, f.created_at AS k FROM follows f JOIN users u ON u.id = f.follower_id
         WHERE f.followee_id = ?1 AND u.status = 'active' AND u.id <> ?2 AND ${notBlocked} ${notBanned}
           AND (f.created_at > ?3 OR (f.created_at = ?3 AND f.follower_id > ?4))
         ORDER BY f.created_at, f.follower_id LIMIT ?5`,
      )
      .bind(
        audience.userId,
        actorId,
        after?.k ?? -1,
        after?.id ?? "",
        limit,
        ...(audience.bannedFrom ? [audience.bannedFrom] : []),
      )
      .all<{ id: string; k: number }>();
    return pageOf(results, limit);
  }
  const { results } = await db
    .prepare(
      `SELECT m.user_id AS id, 0 AS k FROM room_members m JOIN users u ON u.id = m.user_id
       WHERE m.room_id = ?1 AND u.status = 'active' AND u.id <> ?2 AND ${notBlocked}
         AND NOT EXISTS (SELECT 1 FROM room_bans rb WHERE rb.room_id = ?1 AND rb.user_id = u.id)
         AND m.user_id > ?3
       ORDER BY m.user_id LIMIT ?4`,
    )
    .bind(audience.roomId, actorId, after?.id ?? "", limit)
    .all<{ id: string; k: number }>();
  return pageOf(results, limit);
}

function pageOf(rows: { id: string; k: number }[], limit: number) {
  const last = rows.at(-1);
  return { ids: rows.map((r) => r.id), next: rows.length === limit && last ? { k: last.k, id: last.id } : null };
}
