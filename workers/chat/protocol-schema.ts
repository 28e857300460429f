// Validation of client frames inside the room object (kept out of protocol.ts so the web app does not bundle zod).
import { z } from "zod";
import { PartyFrameSchema, TimeFrameSchema } from "./party/party-schema.ts";
import { type ClientFrame, MAX_BODY_CHARS } from "./protocol.ts";

const MessageIdField = z.string().min(1).max(64);

export const ClientFrameSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("send"),
    clientId: z.string().min(1).max(64),
    body: z.string().max(MAX_BODY_CHARS),
    replyTo: MessageIdField.optional(),
    share: z.object({ kind: z.enum(["track", "playlist"]), id: z.string().min(1).max(64) }).optional(),
  }),
  z.object({ type: z.literal("edit"), messageId: MessageIdField, body: z.string().min(1).max(MAX_BODY_CHARS) }),
  // A site admin deleting in a room they do not moderate gives a reason (it is audited).
  z.object({ type: z.literal("delete"), messageId: MessageIdField, reason: z.string().trim().max(500).optional() }),
  z.object({ type: z.literal("react"), messageId: MessageIdField, emoji: z.string().min(1).max(32) }),
  z.object({ type: z.literal("typing") }),
  z.object({ type: z.literal("read"), messageId: MessageIdField }),
  z.object({
    type: z.literal("history"),
    before: MessageIdField.optional(),
    limit: z.number().int().min(1).max(100).optional(),
  }),
  PartyFrameSchema,
  TimeFrameSchema,
]);

/** Fails to compile if the schema accepts a frame the shared type does not describe. */
export const asClientFrame = (frame: z.infer<typeof ClientFrameSchema>): ClientFrame => frame;
