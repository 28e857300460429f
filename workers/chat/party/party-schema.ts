// Validation of the party's client frames inside the room object (zod stays out of the web bundle).
import { z } from "zod";
import { MAX_QUEUE, PARTY_ACTIONS, type PartyClientFrame } from "./party-protocol.ts";

const TrackIdField = z.string().min(1).max(64);

export const PartyFrameSchema = z.object({
  type: z.literal("party"),
  action: z.enum(PARTY_ACTIONS),
  trackId: TrackIdField.optional(),
  positionMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1000)
    .optional(),
  /** queue_remove / queue_move: the entry's index; queue_move: where it goes. */
  index: z.number().int().min(0).max(MAX_QUEUE).optional(),
  to: z.number().int().min(0).max(MAX_QUEUE).optional(),
  /** cohost_add / cohost_remove. */
  userId: z.string().min(1).max(64).optional(),
});

export const TimeFrameSchema = z.object({ type: z.literal("time"), clientTime: z.number().finite() });

/** Fails to compile if the schemas accept a frame the shared types do not describe. */
export const asPartyFrame = (
  frame: z.infer<typeof PartyFrameSchema> | z.infer<typeof TimeFrameSchema>,
): PartyClientFrame => frame;
