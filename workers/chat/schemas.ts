import { z } from "@hono/zod-openapi";
import { MEMBER_ROLES, ROOM_KINDS } from "../db/schema/index.ts";

export const RoomIdParam = z.object({ id: z.string().min(1).max(64) });

export const PersonSchema = z
  .object({ id: z.string(), username: z.string(), displayName: z.string() })
  .openapi("ChatPerson");

export const LastMessageSchema = z
  .object({ id: z.string(), userId: z.string(), body: z.string(), createdAt: z.string() })
  .openapi("LastMessage");

export const RoomListItemSchema = z
  .object({
    id: z.string(),
    kind: z.enum(ROOM_KINDS),
    name: z.string(),
    topic: z.string(),
    owner: PersonSchema,
    createdAt: z.string(),
    lastMessage: LastMessageSchema.nullable(),
    /** Messages after the caller's read position (0 for rooms they have not joined). */
    unreadCount: z.number().int(),
    /** The caller's role, null when they are not a member (a public room they can join). */
    myRole: z.enum(MEMBER_ROLES).nullable(),
    /** For a DM, the other person. */
    dmWith: PersonSchema.nullable(),
  })
  .openapi("RoomListItem");

export const RoomSchema = RoomListItemSchema.extend({
  moderators: z.array(PersonSchema),
  /** May the caller moderate here (owner, moderator, admin). */
  canModerate: z.boolean(),
}).openapi("Room");

export const CreateRoomSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    kind: z.enum(["public", "private"]),
    topic: z.string().trim().max(300).optional(),
  })
  .openapi("CreateRoom");

export const ChatMessageSchema = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    updatedSeq: z.number().int(),
    clientId: z.string(),
    roomId: z.string(),
    userId: z.string(),
    username: z.string(),
    displayName: z.string(),
    body: z.string(),
    createdAt: z.string(),
    replyTo: z.string().optional(),
    editedAt: z.string().optional(),
    deletedAt: z.string().optional(),
    reactions: z.record(z.string(), z.array(z.string())).optional(),
    mentions: z.array(z.string()).optional(),
    share: z
      .union([
        z.object({
          kind: z.literal("track"),
          id: z.string(),
          title: z.string(),
          artist: z.string(),
          durationMs: z.number().nullable(),
        }),
        z.object({ kind: z.literal("playlist"), id: z.string(), title: z.string(), owner: z.string() }),
      ])
      .optional(),
  })
  .openapi("ChatMessage");

export const MessagesQuery = z.object({
  before: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const UserIdBody = z.object({ userId: z.string().min(1).max(64) });
export const BanBody = UserIdBody.extend({ reason: z.string().trim().max(500).optional() }).openapi("BanRequest");
export const MuteBody = UserIdBody.extend({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30),
}).openapi("MuteRequest");
export const InviteBody = z.object({ username: z.string().min(1).max(60) }).openapi("InviteRequest");
export const ReportBody = z.object({ reason: z.string().trim().max(1000).optional() }).openapi("ReportRequest");

export const BanSchema = z
  .object({ roomId: z.string(), user: PersonSchema, reason: z.string(), createdAt: z.string() })
  .openapi("RoomBan");
export const InviteSchema = z
  .object({ room: RoomListItemSchema, user: PersonSchema, invitedBy: PersonSchema, createdAt: z.string() })
  .openapi("RoomInvite");
