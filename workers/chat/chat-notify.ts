import type { Env } from "../env.ts";
import { publishToUser } from "../live/user-events.ts";
import type { RoomRef } from "./grant.ts";
import type { ChatMessage } from "./protocol.ts";

const PREVIEW_CHARS = 140;

export type ChatNotification = {
  id: string;
  type: "mention" | "dm";
  createdAt: string;
  readAt: null;
  roomId: string;
  roomName: string;
  messageId: string;
  from: { id: string; username: string; displayName: string };
  preview: string;
};

/** Tells a member who is not in the room that they were mentioned or sent a DM, on their live channel. */
export class ChatNotifier {
  constructor(private readonly env: Env) {}

  async notify(userId: string, type: ChatNotification["type"], room: RoomRef, message: ChatMessage): Promise<void> {
    const notification: ChatNotification = {
      id: `${message.id}:${type}`,
      type,
      createdAt: message.createdAt,
      readAt: null,
      roomId: room.roomId,
      roomName: room.name,
      messageId: message.id,
      from: { id: message.userId, username: message.username, displayName: message.displayName },
      preview: message.body.slice(0, PREVIEW_CHARS),
    };
    await publishToUser(this.env, userId, { type: "notification", notification });
  }
}
