import type { Env } from "../env.ts";
import { chatEvent } from "../notifications/events.ts";
import { notify } from "../notifications/notify.ts";
import type { RoomRef } from "./grant.ts";
import type { ChatMessage } from "./protocol.ts";

/**
 * Tells a member who is not in the room that they were mentioned, replied to or sent a DM: a
 * notification in their inbox, delivered live on their channel.
 */
export class ChatNotifier {
  constructor(private readonly env: Env) {}

  async notify(
    userId: string,
    type: "mention" | "dm",
    room: RoomRef,
    message: ChatMessage,
    reply = false,
  ): Promise<void> {
    const author = { id: message.userId, username: message.username, displayName: message.displayName };
    const roomRef = { id: room.roomId, name: room.name, kind: room.kind };
    await notify(this.env, userId, chatEvent(type, author, roomRef, message, reply));
  }
}
