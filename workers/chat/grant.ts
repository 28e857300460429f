import type { MemberRole, RoomKind } from "../db/schema/index.ts";

/** Which room an object is, told on every call from the Worker (an object cannot learn its own name). */
export type RoomRef = { roomId: string; kind: RoomKind; name: string };

/** A user as the room needs to know them. */
export type RoomUser = {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  /** Set while the account's email address is unverified: it may read and listen, not post. */
  emailUnverified?: true;
};

/**
 * What the Worker hands the room object with a WebSocket upgrade (beside connectWithTicket's ticket
 * headers), after checking D1: the room, membership, bans. The object still checks the ticket's
 * single use and its own ban list, so a ban that lands between the two checks holds.
 */
export type ConnectGrant = {
  room: RoomRef;
  user: RoomUser;
  role: MemberRole;
  mutedUntil: number | null;
  /** The id of the last message the client saw: hello then carries exactly what came after. */
  since?: string;
  /**
   * The highest message `updatedSeq` the client saw: hello then carries every message created or
   * changed after it (edits, deletes and reactions made while the client was away included).
   */
  updatedSince?: number;
};

export const GRANT_HEADER = "x-chat-grant";

export type ModerationAction =
  | { type: "ban"; userId: string }
  | { type: "unban"; userId: string }
  | { type: "mute"; userId: string; until: number }
  | { type: "kick"; userId: string };
