// The room protocol: JSON frames over the room's WebSocket, each with a `type`. Shared by the
// ChatRoom Durable Object and the web app (imported, never copied). Shapes fixed by the design:
// send → ack (to the sender) + message (to everyone); hello on connect; error for anything refused.
// Types only (no runtime dependencies), so the web app can import it cheaply.
import type { PartyClientFrame, PartyServerFrame, PartyState } from "./party/party-protocol.ts";

export const MAX_BODY_CHARS = 4000;
/** Frames larger than this are refused before parsing. */
export const MAX_FRAME_BYTES = 16 * 1024;
/** Messages per page of history (hello, `history` frame, `GET …/messages`). */
export const HISTORY_PAGE = 50;
/** What a client sends every so often; the room answers "pong" without waking up. */
export const PING = "ping";
export const PONG = "pong";

export type Reactions = Record<string, string[]>;

/** A shared track or playlist, shown as a playable card. */
export type SharedCard =
  | { kind: "track"; id: string; title: string; artist: string; durationMs: number | null }
  | { kind: "playlist"; id: string; title: string; owner: string };

export type ChatMessage = {
  id: string;
  /** The room's order: strictly increasing within a room. */
  seq: number;
  /**
   * The room's update number of this message's last change (creation, edit, delete, reaction):
   * strictly increasing across the room. A client reconnects with the highest it saw.
   */
  updatedSeq: number;
  clientId: string;
  roomId: string;
  userId: string;
  username: string;
  displayName: string;
  body: string;
  createdAt: string;
  replyTo?: string;
  editedAt?: string;
  deletedAt?: string;
  reactions?: Reactions;
  /** User ids mentioned with @username. */
  mentions?: string[];
  share?: SharedCard;
};

export type PresenceUser = { id: string; username: string; displayName: string };

export type RoomRole = "owner" | "moderator" | "member" | "admin";

export type You = PresenceUser & { role: RoomRole; mutedUntil: string | null; lastReadSeq: number };

// ---- client → room (validated by protocol-schema.ts) ----

export type ClientFrame =
  | {
      type: "send";
      clientId: string;
      body: string;
      replyTo?: string;
      share?: { kind: "track" | "playlist"; id: string };
    }
  | { type: "edit"; messageId: string; body: string }
  /** `reason`: required of a site admin deleting in a room they do not moderate (it is audited). */
  | { type: "delete"; messageId: string; reason?: string }
  | { type: "react"; messageId: string; emoji: string }
  | { type: "typing" }
  | { type: "read"; messageId: string }
  | { type: "history"; before?: string; limit?: number }
  | PartyClientFrame;

// ---- room → client ----

export type ErrorCode =
  | "invalid_frame"
  | "frame_too_large"
  | "unknown_type"
  | "rate_limited"
  | "muted"
  | "email_unverified"
  | "forbidden"
  | "reason_required"
  | "not_found"
  | "share_not_visible"
  | "empty_message"
  | "no_party"
  | "invalid_party_action"
  | "track_not_visible";

export type ServerFrame =
  | {
      type: "hello";
      roomId: string;
      you: You;
      online: PresenceUser[];
      /**
       * The latest page; or with `since` everything after it (oldest first); or with `updatedSince`
       * every message created or changed after that update (its latest state), unless `fresh`.
       */
      messages: ChatMessage[];
      /** True when `messages` is the latest page to start over from, not a catch-up to merge. */
      fresh: boolean;
      /** True when older messages exist before `messages[0]`. */
      hasMore: boolean;
      /** The room's listening party, so a late joiner starts at the live position. */
      party: PartyState | null;
    }
  | { type: "message"; message: ChatMessage }
  | { type: "ack"; clientId: string; message: ChatMessage; duplicate?: true }
  | { type: "edited"; message: ChatMessage }
  | { type: "deleted"; message: ChatMessage }
  | { type: "reaction"; messageId: string; reactions: Reactions; updatedSeq: number }
  | { type: "typing"; user: PresenceUser }
  | { type: "presence"; online: PresenceUser[] }
  | { type: "read"; messageId: string; seq: number }
  | { type: "history"; messages: ChatMessage[]; hasMore: boolean }
  | PartyServerFrame
  | { type: "error"; code: ErrorCode; message: string; clientId?: string; retryAfterMs?: number }
  /** Several frames that arrived within a few milliseconds, delivered as one, in order. */
  | { type: "batch"; frames: ServerFrame[] };

/** Close codes the room uses (4000–4999 are the application's). */
export const CLOSE_BANNED = 4003;
export const CLOSE_KICKED = 4004;
export const CLOSE_STALE = 4008;

/** Unwraps batches: the frames in the order the room sent them. */
export function flattenFrames(frame: ServerFrame): ServerFrame[] {
  return frame.type === "batch" ? frame.frames.flatMap(flattenFrames) : [frame];
}

/** @usernames in a message body (lowercased, unique). */
export function mentionedUsernames(body: string): string[] {
  const names = new Set<string>();
  for (const match of body.matchAll(/(?:^|[^\w@])@([a-z0-9_]{3,30})/gi)) names.add((match[1] ?? "").toLowerCase());
  return [...names];
}
