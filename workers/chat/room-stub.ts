import type { Env } from "../env.ts";

/** The room's Durable Object (one per room id). */
export function roomStub(env: Env, roomId: string) {
  return env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(roomId));
}
