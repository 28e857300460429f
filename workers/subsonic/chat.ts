import { roomStub } from "../chat/room-stub.ts";
import { enterableRoom, joinPublicRoom, roomRef, roomUser } from "../chat/rooms.ts";
import type { Call, Method } from "./call.ts";
import { badValue, notAuthorized, notFound, SubsonicCode, SubsonicError } from "./envelope.ts";

/**
 * Subsonic's server chat, bridged to the Veza room the operator names in SUBSONIC_LOBBY_ROOM_ID.
 * Messages go through the room's Durable Object like any other: stored before broadcast, seen by
 * web clients, written as the Subsonic user, under the room's membership, ban and mute rules.
 * Without the variable there is no lobby: getChatMessages lists nothing (clients poll it) and
 * addChatMessage answers error 70.
 */

const MAX_MESSAGES = 100;

/** D1's room rules apply first (unseen: 70, banned: 50), then the room object's own. */
const lobbyId = (call: Call) => call.env.SUBSONIC_LOBBY_ROOM_ID?.trim() || undefined;

export const getChatMessages: Method = async (call) => {
  const roomId = lobbyId(call);
  if (!roomId) return { chatMessages: {} };
  const since = call.params.int("since", 0, 0);
  const access = await enterableRoom(call.db, roomId, call.user);
  const messages = await roomStub(call.env, access.room.id).messagesSince(since, MAX_MESSAGES);
  return {
    chatMessages: {
      chatMessage: messages.map((m) => ({ username: m.username, time: Date.parse(m.createdAt), message: m.body })),
    },
  };
};

export const addChatMessage: Method = async (call) => {
  const roomId = lobbyId(call);
  if (!roomId) throw notFound("Chat (this server has no Subsonic lobby room)");
  const text = call.params.required("message");
  const access = await enterableRoom(call.db, roomId, call.user);
  const role = access.room.kind === "public" ? await joinPublicRoom(call.db, access, call.user.id) : access.role;
  const sent = await roomStub(call.env, access.room.id).sendFromApi(
    { room: roomRef(access.room), user: roomUser(call.user), role: role ?? "member", mutedUntil: access.mutedUntil },
    `subsonic-${crypto.randomUUID()}`,
    text,
  );
  if ("error" in sent) {
    switch (sent.error) {
      case "banned":
      case "muted":
      case "forbidden":
      case "email_unverified":
        throw notAuthorized(sent.message);
      case "not_found":
        throw notFound("Chat room");
      case "rate_limited":
        throw new SubsonicError(SubsonicCode.generic, sent.message, { httpStatus: 429 });
      default:
        throw badValue("message", sent.message);
    }
  }
  return {};
};
