import { desc, inArray, isNotNull } from "drizzle-orm";
import { roomStub } from "../chat/room-stub.ts";
import type { Db } from "../db/client.ts";
import { rooms, users } from "../db/schema/index.ts";
import type { Env } from "../env.ts";

/** At most this many parties are listed (each costs one call to its room's object). */
export const ADMIN_PARTIES_LIMIT = 50;

export type ActiveParty = {
  roomId: string;
  room: string;
  host: { id: string; username: string } | null;
  listeners: number;
  startedAt: string;
};

/**
 * Listening parties on now, newest first, for the operators' dashboard. D1 says which rooms have
 * one (the room's object marks its row); the host and the people present live in the object, so
 * each listed room is asked. A room whose party ended since its row was read is left out.
 */
export async function activeParties(env: Env, db: Db): Promise<ActiveParty[]> {
  const live = await db
    .select({ id: rooms.id, name: rooms.name })
    .from(rooms)
    .where(isNotNull(rooms.partyStartedAt))
    .orderBy(desc(rooms.partyStartedAt), desc(rooms.id))
    .limit(ADMIN_PARTIES_LIMIT);
  const summaries = await Promise.all(live.map((room) => roomStub(env, room.id).partySummary()));
  const hostIds = [...new Set(summaries.flatMap((s) => (s ? [s.hostId] : [])))];
  const hosts = hostIds.length
    ? await db.select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, hostIds))
    : [];
  const hostById = new Map(hosts.map((h) => [h.id, h]));
  return live.flatMap((room, i) => {
    const summary = summaries[i];
    if (!summary) return [];
    return [
      {
        roomId: room.id,
        room: room.name,
        host: hostById.get(summary.hostId) ?? null,
        listeners: summary.listeners,
        startedAt: new Date(summary.startedAt).toISOString(),
      },
    ];
  });
}
