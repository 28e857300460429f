import { DurableObject } from "cloudflare:workers";
import { EMAIL_UNVERIFIED_MESSAGE } from "../auth/email-gate.ts";
import { auditInsert } from "../catalog/admin.ts";
import { getDb } from "../db/client.ts";
import type { MemberRole } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { admitTicketedSocket, pruneAdmittedTickets, socketResponse } from "../live/ticket-admission.ts";
import { decodeJsonBase64url, encodeJsonBase64url } from "../shared/crypto.ts";
import { errorBody } from "../shared/errors.ts";
import { errorFields, log, logged } from "../shared/log.ts";
import { ChatNotifier } from "./chat-notify.ts";
import { SHARD_HEADER, type ShardAdmission, type ShardReply, type ShardSocketInfo, shardStub } from "./chat-shard.ts";
import { Fanout } from "./fanout.ts";
import { type ConnectGrant, GRANT_HEADER, type ModerationAction, type RoomRef, type RoomUser } from "./grant.ts";
import { PartyRoom } from "./party/party-room.ts";
import {
  type ChatMessage,
  CLOSE_BANNED,
  CLOSE_KICKED,
  CLOSE_STALE,
  type ClientFrame,
  type ErrorCode,
  HISTORY_PAGE,
  MAX_FRAME_BYTES,
  mentionedUsernames,
  PING,
  PONG,
  type PresenceUser,
  type RoomRole,
  type ServerFrame,
} from "./protocol.ts";
import { ClientFrameSchema } from "./protocol-schema.ts";
import { type MemberRecord, RoomStore } from "./room-store.ts";
import { DEFAULT_SENDS_PER_WINDOW, SendLimit } from "./send-limit.ts";
import { resolveShare } from "./share.ts";

/** Where frames for one socket go: a WebSocket here, or a reply to a shard that holds it. */
type Peer = { send(text: string): void; close(code?: number, reason?: string): void };

/** Sockets a room holds itself before new ones go to shards (CHAT_SHARD_THRESHOLD). */
const DEFAULT_SHARD_THRESHOLD = 5000;

/** Who is on a socket: survives hibernation with the socket. */
/** Who is on a socket; `emailUnverified` (from the grant) keeps an unverified account to reading and listening. */
type Sender = PresenceUser & { emailUnverified?: true };
type SocketInfo = Sender & { connectedAt: number };

/** Clients ping every 25 s; a socket silent for longer than this died without a close frame. */
export const STALE_SOCKET_MS = 70_000;
const PRUNE_EVERY_MS = 30_000;
/** The room list's last message and unread counts trail the room by at most this much. */
const SUMMARY_DELAY_MS = 1_000;
const TYPING_EVERY_MS = 2_500;
/** Messages anonymised per call when an author's account is deleted. */
const ANONYMISE_BATCH = 1000;
/** A reconnect gets at most this many missed messages in `hello`; older ones come by `history`. */
const MAX_CATCH_UP = 500;

/** The grant the Worker attached (base64url JSON: names need not be Latin-1 to fit a header). */
function readGrant(request: Request): ConnectGrant | null {
  try {
    return decodeJsonBase64url(request.headers.get(GRANT_HEADER) ?? "") as ConnectGrant;
  } catch {
    return null;
  }
}

function presenceUser(info: PresenceUser): PresenceUser {
  return { id: info.id, username: info.username, displayName: info.displayName };
}

function isModeratorRole(role: MemberRole | undefined, isAdmin: boolean): boolean {
  return isAdmin || role === "owner" || role === "moderator";
}

/**
 * One chat room: its sockets (hibernating, each tagged with who is on it), its history and
 * members in the object's SQLite, and the order of everything said in it.
 */
export class ChatRoom extends DurableObject<Env> {
  private readonly store: RoomStore;
  private readonly sendLimit: SendLimit;
  private readonly fanout: Fanout;
  private readonly shardThreshold: number;
  private readonly notifier: ChatNotifier;
  private readonly party: PartyRoom;
  private readonly lastTyping = new Map<string, number>();
  /** userId → open socket count and who they are; rebuilt from the sockets after a wake-up. */
  private presence: Map<string, { user: PresenceUser; sockets: number }> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RoomStore(ctx.storage.sql);
    this.sendLimit = new SendLimit(Number(env.CHAT_SEND_LIMIT) || DEFAULT_SENDS_PER_WINDOW);
    this.shardThreshold = Number(env.CHAT_SHARD_THRESHOLD) || DEFAULT_SHARD_THRESHOLD;
    this.fanout = new Fanout(ctx, {
      indexes: () => this.store.shardIndexes(),
      deliver: (index, text, userId) => shardStub(env, this.store.roomId, index).deliver(text, userId),
    });
    this.notifier = new ChatNotifier(env);
    this.party = new PartyRoom(ctx, env, {
      roomId: () => this.store.roomId,
      broadcast: (frame) => this.fanout.broadcast(frame),
      shardUsers: () => this.store.shardSocketUsers().map((user) => user.id),
      scheduleAlarm: (at) => this.scheduleAlarm(at),
    });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  // ---- calls from the Worker ----

  override async fetch(request: Request): Promise<Response> {
    const grant = readGrant(request);
    if (!grant) return Response.json(errorBody("unauthenticated", "No grant for this room."), { status: 401 });
    this.remember(grant.room);
    if (this.store.isBanned(grant.user.id)) {
      return Response.json(errorBody("banned", "You are banned from this room."), { status: 403 });
    }
    const admitted = await admitTicketedSocket(this.ctx.storage, request);
    if (admitted instanceof Response) return admitted;
    if (admitted.userId !== grant.user.id) {
      return Response.json(errorBody("unauthenticated", "The grant is not for this ticket."), { status: 401 });
    }
    this.store.upsertMember({ ...grant.user, role: grant.role });
    this.store.setMutedUntil(grant.user.id, grant.mutedUntil);

    // Frames still waiting to go out are sent now, so that hello (which includes their messages)
    // is followed only by what comes after it.
    this.fanout.flush();
    const info: SocketInfo = {
      id: grant.user.id,
      username: grant.user.username,
      displayName: grant.user.displayName,
      connectedAt: Date.now(),
      ...(grant.user.emailUnverified ? { emailUnverified: true as const } : {}),
    };
    const joined = this.addPresence(info);
    const hello = this.helloFor(grant);
    let response: Response;
    if (this.ctx.getWebSockets().length >= this.shardThreshold) {
      response = await this.admitToShard(info, hello);
    } else {
      const pair = new WebSocketPair();
      this.ctx.acceptWebSocket(pair[1], [grant.user.id]);
      pair[1].serializeAttachment(info);
      this.sendTo(pair[1], hello);
      response = socketResponse(pair[0]);
    }
    this.party.joined(grant.user.id);
    log("info", "chat_room.socket_open", {
      object: "ChatRoom",
      roomId: this.store.roomId,
      userId: grant.user.id,
      sockets: this.ctx.getWebSockets().length,
    });
    if (joined) this.fanout.broadcast({ type: "presence", online: this.onlineUsers() });
    await this.scheduleAlarm(Date.now() + PRUNE_EVERY_MS);
    return response;
  }

  /** What hello carries: a catch-up to merge when the client says what it saw, else the latest page. */
  private catchUp(grant: ConnectGrant): { messages: ChatMessage[]; hasMore: boolean; fresh: boolean } {
    const latest = () => ({ ...this.store.page(undefined, HISTORY_PAGE), fresh: true });
    if (grant.updatedSince !== undefined) {
      const changed = this.store.changedSince(grant.updatedSince, MAX_CATCH_UP);
      // Too much changed to replay: the client starts over from the latest page.
      return changed.complete ? { messages: changed.messages, hasMore: false, fresh: false } : latest();
    }
    const sinceSeq = grant.since ? this.store.seqOf(grant.since) : undefined;
    if (sinceSeq === undefined) return latest();
    const missed = this.store.after(sinceSeq, MAX_CATCH_UP);
    return { messages: missed.messages, hasMore: !missed.complete, fresh: false };
  }

  private helloFor(grant: ConnectGrant): ServerFrame {
    const member = this.store.member(grant.user.id) as MemberRecord;
    const history = this.catchUp(grant);
    return {
      type: "hello",
      roomId: grant.room.roomId,
      you: {
        id: member.id,
        username: member.username,
        displayName: member.displayName,
        role: this.roleOf(member),
        mutedUntil:
          member.mutedUntil && member.mutedUntil > Date.now() ? new Date(member.mutedUntil).toISOString() : null,
        lastReadSeq: member.lastReadSeq,
      },
      online: this.onlineUsers(),
      messages: history.messages,
      hasMore: history.hasMore,
      fresh: history.fresh,
      party: this.party.state(),
    };
  }

  // ---- shards: a room past its socket threshold keeps new sockets in child objects ----

  /**
   * Hands an admitted socket to the first shard with room. The handover is queued on that shard
   * like a broadcast, so the socket misses nothing broadcast after its hello.
   */
  private async admitToShard(info: SocketInfo, hello: ServerFrame): Promise<Response> {
    const index = this.store.shardWithRoom(this.shardThreshold);
    const socketId = crypto.randomUUID();
    this.store.addShardSocket(index, socketId, info);
    const admission: ShardAdmission = {
      roomId: this.store.roomId,
      index,
      info: { ...info, socketId },
      hello: JSON.stringify(hello),
    };
    const stub = shardStub(this.env, this.store.roomId, index);
    const response = await this.fanout.onShard(index, () =>
      stub.fetch("https://shard/connect", {
        headers: { upgrade: "websocket", [SHARD_HEADER]: encodeJsonBase64url(admission) },
      }),
    );
    if (response.status !== 101) this.dropShardSocket(socketId);
    return response;
  }

  /** A frame from a socket a shard holds: handled as the room's own, answered through the shard. */
  async fromShard(_index: number, info: ShardSocketInfo, text: string): Promise<ShardReply> {
    const reply: ShardReply = { sends: [] };
    const peer: Peer = {
      send: (frame) => reply.sends.push(frame),
      close: (code, reason) => {
        reply.close = { code: code ?? 1000, reason: reason ?? "" };
      },
    };
    await this.receive(peer, info, text);
    return reply;
  }

  async shardSocketClosed(_index: number, socketId: string): Promise<void> {
    this.dropShardSocket(socketId);
  }

  /** How many of the room's sockets its shards hold (for tests and diagnostics). */
  async shardSocketCount(): Promise<number> {
    return this.store.shardSocketUsers().length;
  }

  /** For the operators' dashboard: the party's host and how many people are in the room, or null. */
  async partySummary(): Promise<{ hostId: string; listeners: number; startedAt: number } | null> {
    const state = this.party.state();
    return state && { hostId: state.hostId, listeners: this.party.present().length, startedAt: state.startedAt };
  }

  /** Tells the room about members (DM pairs, accepted invitations, role changes). */
  async syncMembers(room: RoomRef, members: (RoomUser & { role: MemberRole })[]): Promise<void> {
    this.remember(room);
    for (const member of members) this.store.upsertMember(member);
  }

  /** Moderation decided over REST, applied here at once (the REST call has already written D1). */
  async moderate(room: RoomRef, action: ModerationAction): Promise<{ closedSockets: number }> {
    this.remember(room);
    switch (action.type) {
      case "ban":
        this.store.setBanned(action.userId, true);
        return { closedSockets: this.closeSocketsOf(action.userId, CLOSE_BANNED, "You were banned from this room.") };
      case "unban":
        this.store.setBanned(action.userId, false);
        return { closedSockets: 0 };
      case "mute":
        this.store.setMutedUntil(action.userId, action.until);
        return { closedSockets: 0 };
      case "kick":
        return { closedSockets: this.closeSocketsOf(action.userId, CLOSE_KICKED, "You were removed from this room.") };
    }
  }

  /** A page of history for `GET …/messages?before=`, oldest first. */
  async messagesPage(
    before: string | undefined,
    limit: number,
  ): Promise<{ messages: ChatMessage[]; hasMore: boolean }> {
    const beforeSeq = before ? this.store.seqOf(before) : undefined;
    if (before && beforeSeq === undefined) return { messages: [], hasMore: false };
    return this.store.page(beforeSeq, limit);
  }

  /**
   * A message sent over HTTP (the Subsonic chat bridge) by a user the Worker checked against D1:
   * it goes through the same checks, storage and broadcast as a frame from a socket.
   */
  async sendFromApi(
    grant: Pick<ConnectGrant, "room" | "user" | "role" | "mutedUntil">,
    clientId: string,
    body: string,
  ): Promise<{ message: ChatMessage } | { error: ErrorCode | "banned"; message: string }> {
    this.remember(grant.room);
    if (this.store.isBanned(grant.user.id)) return { error: "banned", message: "You are banned from this room." };
    this.store.upsertMember({ ...grant.user, role: grant.role });
    this.store.setMutedUntil(grant.user.id, grant.mutedUntil);
    const frames: ServerFrame[] = [];
    let closed: string | undefined;
    const peer: Peer = {
      send: (text) => frames.push(JSON.parse(text) as ServerFrame),
      close: (_code, reason) => {
        closed = reason ?? "closed";
      },
    };
    const sender: Sender = {
      ...presenceUser(grant.user),
      ...(grant.user.emailUnverified ? { emailUnverified: true } : {}),
    };
    await this.receive(peer, sender, JSON.stringify({ type: "send", clientId, body }));
    if (closed !== undefined) return { error: "banned", message: closed };
    for (const frame of frames) {
      if (frame.type === "ack") return { message: frame.message };
      if (frame.type === "error") return { error: frame.code, message: frame.message };
    }
    return { error: "invalid_frame", message: "The room did not answer." };
  }

  /** The latest messages (at most `limit`) created after `sinceMs`, oldest first. */
  async messagesSince(sinceMs: number, limit: number): Promise<ChatMessage[]> {
    return this.store.createdAfter(sinceMs, limit);
  }

  /** One page of the messages `userId` wrote here, for their data export; `nextAfter` is null at the end. */
  async messagesByAuthor(
    userId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ messages: ChatMessage[]; nextAfter: number | null }> {
    const messages = this.store.authoredAfter(userId, afterSeq, limit);
    return { messages, nextAfter: messages.length === limit ? (messages.at(-1)?.seq ?? null) : null };
  }

  /**
   * Account deletion: the user's messages here are anonymised (their text stays, the author
   * becomes `anonymous`), up to ANONYMISE_BATCH per call so one call stays short however much they
   * wrote; then their reactions and member record go. Their sockets close. Sockets still open see
   * the changes as `edited` frames; the room list's summary is rewritten. Repeatable: the caller
   * calls again while `done` is false.
   */
  async eraseAuthor(room: RoomRef, userId: string, anonymous: PresenceUser): Promise<{ done: boolean }> {
    this.remember(room);
    this.closeSocketsOf(userId, CLOSE_KICKED, "This account was deleted.");
    const { changed, done } = this.store.anonymiseAuthor(userId, anonymous, ANONYMISE_BATCH);
    for (const message of changed) this.fanout.broadcast({ type: "edited", message });
    this.store.setMeta("flushedSeq", "-1");
    await this.flushSummary();
    return { done };
  }

  /** A room removed from D1 (its owner's account was deleted and nobody else was in it): forget everything. */
  async dissolve(): Promise<void> {
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.close(CLOSE_KICKED, "This room no longer exists.");
      } catch {
        // already closed
      }
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  async message(id: string): Promise<ChatMessage | null> {
    return this.store.findById(id) ?? null;
  }

  // ---- sockets ----

  override async webSocketMessage(socket: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const info = socket.deserializeAttachment() as SocketInfo | null;
    if (info) await this.receive(socket, info, data);
  }

  /** One frame from a member's socket (here or on a shard): checked, then handled. */
  private async receive(socket: Peer, info: Sender, data: string | ArrayBuffer): Promise<void> {
    const size = typeof data === "string" ? new TextEncoder().encode(data).byteLength : data.byteLength;
    if (size > MAX_FRAME_BYTES) return this.refuse(socket, "frame_too_large", "Frames are limited to 16 KiB.");
    let raw: unknown;
    try {
      raw = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data));
    } catch {
      return this.refuse(socket, "invalid_frame", "The frame is not valid JSON.");
    }
    const type = (raw as { type?: unknown } | null)?.type;
    if (!ClientFrameSchema.options.some((option) => option.shape.type.value === type)) {
      return this.refuse(socket, "unknown_type", `Unknown frame type ${JSON.stringify(type ?? null)}.`);
    }
    const parsed = ClientFrameSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.refuse(socket, "invalid_frame", `${issue?.path.join(".") || "frame"}: ${issue?.message}`);
    }
    const member = this.store.member(info.id);
    if (!member || member.banned) {
      socket.close(CLOSE_BANNED, "You are banned from this room.");
      return;
    }
    await this.handle(socket, info, member, parsed.data);
  }

  private async handle(socket: Peer, info: Sender, member: MemberRecord, frame: ClientFrame): Promise<void> {
    const now = Date.now();
    switch (frame.type) {
      case "send":
        return this.handleSend(socket, info, member, frame, now);
      case "edit": {
        const target = this.store.findById(frame.messageId);
        if (!target || target.deletedAt) return this.refuse(socket, "not_found", "No such message.");
        if (target.userId !== info.id) return this.refuse(socket, "forbidden", "You can only edit your own messages.");
        const edited = this.store.edit(target.id, frame.body, now) as ChatMessage;
        this.fanout.broadcast({ type: "edited", message: edited });
        return;
      }
      case "delete": {
        const target = this.store.findById(frame.messageId);
        if (!target || target.deletedAt) return this.refuse(socket, "not_found", "No such message.");
        if (target.userId !== info.id && !isModeratorRole(member.role, member.isAdmin)) {
          return this.refuse(socket, "forbidden", "Only moderators can delete other people's messages.");
        }
        const adminOverride = target.userId !== info.id && member.role !== "owner" && member.role !== "moderator";
        if (adminOverride) {
          if (!frame.reason) return this.refuse(socket, "reason_required", "Admin actions need a reason.");
          // Recorded before the delete: an audited action that then failed beats an unrecorded one.
          await auditInsert(getDb(this.env.DB), {
            actorId: info.id,
            action: "room.message_delete",
            targetType: "user",
            targetId: target.userId,
            reason: frame.reason,
            details: { roomId: this.store.roomId, messageId: target.id },
          });
        }
        const deleted = this.store.softDelete(target.id, now) as ChatMessage;
        this.fanout.broadcast({ type: "deleted", message: deleted });
        await this.scheduleAlarm(now + SUMMARY_DELAY_MS);
        return;
      }
      case "react": {
        const target = this.store.findById(frame.messageId);
        if (!target || target.deletedAt) return this.refuse(socket, "not_found", "No such message.");
        if (this.mutedNow(member, now)) return this.refuse(socket, "muted", "You are muted in this room.");
        if (info.emailUnverified) return this.refuse(socket, "email_unverified", EMAIL_UNVERIFIED_MESSAGE);
        const reacted = this.store.toggleReaction(target.id, frame.emoji, info.id, now) as ChatMessage;
        this.fanout.broadcast({
          type: "reaction",
          messageId: target.id,
          reactions: reacted.reactions ?? {},
          updatedSeq: reacted.updatedSeq,
        });
        return;
      }
      case "typing": {
        if (info.emailUnverified) return;
        if ((this.lastTyping.get(info.id) ?? 0) + TYPING_EVERY_MS > now || this.mutedNow(member, now)) return;
        this.lastTyping.set(info.id, now);
        this.fanout.broadcast({ type: "typing", user: presenceUser(info) });
        return;
      }
      case "read": {
        const seq = this.store.seqOf(frame.messageId);
        if (seq === undefined) return this.refuse(socket, "not_found", "No such message.");
        const stored = this.store.markRead(info.id, seq);
        this.fanout.toUser(info.id, { type: "read", messageId: frame.messageId, seq: stored });
        await this.scheduleAlarm(now + SUMMARY_DELAY_MS);
        return;
      }
      case "party":
        return this.party.command(info.id, frame, (code, message) => this.refuse(socket, code, message));
      case "time":
        this.sendTo(socket, { type: "time", clientTime: frame.clientTime, serverTime: Date.now() });
        return;
      case "history": {
        const beforeSeq = frame.before ? this.store.seqOf(frame.before) : undefined;
        if (frame.before && beforeSeq === undefined) return this.refuse(socket, "not_found", "No such message.");
        const page = this.store.page(beforeSeq, frame.limit ?? HISTORY_PAGE);
        this.sendTo(socket, { type: "history", ...page });
        return;
      }
    }
  }

  private async handleSend(
    socket: Peer,
    info: Sender,
    member: MemberRecord,
    frame: Extract<ClientFrame, { type: "send" }>,
    now: number,
  ): Promise<void> {
    const original = this.store.findByClientId(info.id, frame.clientId);
    if (original) {
      this.sendTo(socket, { type: "ack", clientId: frame.clientId, message: original, duplicate: true });
      return;
    }
    if (this.mutedNow(member, now)) {
      return this.refuse(socket, "muted", "You are muted in this room.", frame.clientId);
    }
    if (info.emailUnverified) return this.refuse(socket, "email_unverified", EMAIL_UNVERIFIED_MESSAGE, frame.clientId);
    const body = frame.body.trim();
    if (!body && !frame.share) return this.refuse(socket, "empty_message", "Say something.", frame.clientId);
    if (frame.replyTo && !this.store.findById(frame.replyTo)) {
      return this.refuse(socket, "not_found", "The message you reply to does not exist.", frame.clientId);
    }
    const waitMs = this.sendLimit.take(info.id, now);
    if (waitMs > 0) {
      this.sendTo(socket, {
        type: "error",
        code: "rate_limited",
        message: "You are sending too fast; wait a moment.",
        clientId: frame.clientId,
        retryAfterMs: waitMs,
      });
      return;
    }
    const share = frame.share ? await resolveShare(this.env, this.store.roomId, frame.share) : undefined;
    if (frame.share && !share) {
      return this.refuse(socket, "share_not_visible", "Not everyone in this room may see that.", frame.clientId);
    }
    // A resend of the same clientId may have been stored while the share was looked up.
    const raced = share ? this.store.findByClientId(info.id, frame.clientId) : undefined;
    if (raced) {
      this.sendTo(socket, { type: "ack", clientId: frame.clientId, message: raced, duplicate: true });
      return;
    }
    const mentioned = this.store.membersByUsername(mentionedUsernames(body)).filter((m) => m.id !== info.id);
    const message = this.store.insert({
      clientId: frame.clientId,
      author: info,
      body,
      replyTo: frame.replyTo,
      mentions: mentioned.map((m) => m.id),
      share,
      now,
    });
    this.store.markRead(info.id, message.seq);
    this.sendTo(socket, { type: "ack", clientId: frame.clientId, message });
    this.fanout.broadcast({ type: "message", message });
    await this.scheduleAlarm(now + SUMMARY_DELAY_MS);
    this.notifyAbsent(message, mentioned);
  }

  /** Mentions, replies, and every message of a DM notify the members who are not in the room. */
  private notifyAbsent(message: ChatMessage, mentioned: MemberRecord[]): void {
    const room = this.roomRef();
    const presence = this.presenceMap();
    const recipients = new Map<string, { type: "mention" | "dm"; reply: boolean }>();
    if (room.kind === "dm") {
      for (const id of this.store.activeMemberIds()) {
        if (id !== message.userId) recipients.set(id, { type: "dm", reply: false });
      }
    } else {
      const repliedTo = message.replyTo ? this.store.findById(message.replyTo)?.userId : undefined;
      const stillMember = repliedTo ? this.store.member(repliedTo) : undefined;
      if (stillMember && !stillMember.banned && stillMember.id !== message.userId) {
        recipients.set(stillMember.id, { type: "mention", reply: true });
      }
      for (const m of mentioned) if (!recipients.has(m.id)) recipients.set(m.id, { type: "mention", reply: false });
    }
    for (const [userId, { type, reply }] of recipients) {
      if (presence.has(userId)) continue;
      this.ctx.waitUntil(this.notifier.notify(userId, type, room, message, reply));
    }
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    const userId = (socket.deserializeAttachment() as SocketInfo | null)?.id;
    log("info", "chat_room.socket_close", { object: "ChatRoom", roomId: this.store.roomId, userId, code });
    this.dropSocket(socket);
    try {
      socket.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      // already closed
    }
  }

  override async webSocketError(socket: WebSocket, error: unknown): Promise<void> {
    log("warn", "chat_room.socket_error", { object: "ChatRoom", roomId: this.store.roomId, ...errorFields(error) });
    this.dropSocket(socket);
  }

  // ---- alarm: D1 summary, dead sockets, old tickets ----

  override async alarm(): Promise<void> {
    await logged("chat_room.alarm", { object: "ChatRoom", roomId: this.store.roomId }, () => this.prune());
  }

  private async prune(): Promise<void> {
    const now = Date.now();
    await this.flushSummary();
    for (const socket of this.ctx.getWebSockets()) {
      const info = socket.deserializeAttachment() as SocketInfo;
      const lastHeard = Math.max(info.connectedAt, this.ctx.getWebSocketAutoResponseTimestamp(socket)?.getTime() ?? 0);
      if (now - lastHeard > STALE_SOCKET_MS) {
        try {
          socket.close(CLOSE_STALE, "No ping for too long.");
        } catch {
          // already gone
        }
        this.dropSocket(socket);
      }
    }
    await this.party.alarm(now);
    await pruneAdmittedTickets(this.ctx.storage, now);
    if (this.ctx.getWebSockets().length > 0) await this.scheduleAlarm(now + PRUNE_EVERY_MS);
  }

  /** Copies the latest message and read positions to D1 for the room list. */
  private async flushSummary(): Promise<void> {
    const roomId = this.store.roomId;
    if (!roomId) return;
    const last = this.store.lastMessage();
    const flushedSeq = Number(this.store.getMeta("flushedSeq") ?? 0);
    const flushedAt = Number(this.store.getMeta("flushedReadsAt") ?? 0);
    const statements: D1PreparedStatement[] = [];
    if (last) {
      statements.push(
        this.env.DB.prepare(
          "UPDATE rooms SET last_seq = ?1, last_message = ?2, last_message_at = ?3 WHERE id = ?4",
        ).bind(
          last.seq,
          JSON.stringify({ id: last.id, userId: last.userId, body: last.body, createdAt: last.createdAt }),
          Date.parse(last.createdAt),
          roomId,
        ),
      );
    }
    for (const { userId, lastReadSeq } of this.store.readPositions()) {
      statements.push(
        this.env.DB.prepare(
          "UPDATE room_members SET last_read_seq = ?1 WHERE room_id = ?2 AND user_id = ?3 AND last_read_seq < ?1",
        ).bind(lastReadSeq, roomId, userId),
      );
    }
    if (statements.length === 0 || (last?.seq === flushedSeq && flushedAt > 0 && statements.length === 1)) return;
    for (let i = 0; i < statements.length; i += 50) await this.env.DB.batch(statements.slice(i, i + 50));
    this.store.setMeta("flushedSeq", String(last?.seq ?? 0));
    this.store.setMeta("flushedReadsAt", String(Date.now()));
  }

  private async scheduleAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  // ---- presence ----

  private presenceMap(): Map<string, { user: PresenceUser; sockets: number }> {
    if (!this.presence) {
      const presence = new Map<string, { user: PresenceUser; sockets: number }>();
      for (const socket of this.ctx.getWebSockets()) {
        // A socket's attachment is cleared when it is dropped; only live ones count.
        const info = socket.deserializeAttachment() as SocketInfo | null;
        if (!info) continue;
        const entry = presence.get(info.id);
        if (entry) entry.sockets++;
        else presence.set(info.id, { user: presenceUser(info), sockets: 1 });
      }
      for (const user of this.store.shardSocketUsers()) {
        const entry = presence.get(user.id);
        if (entry) entry.sockets++;
        else presence.set(user.id, { user, sockets: 1 });
      }
      this.presence = presence;
    }
    return this.presence;
  }

  /** Counts a new socket in (call before accepting it); true if its user just came online. */
  private addPresence(info: SocketInfo): boolean {
    const presence = this.presenceMap();
    const entry = presence.get(info.id);
    if (entry) {
      entry.sockets++;
      return false;
    }
    presence.set(info.id, { user: presenceUser(info), sockets: 1 });
    return true;
  }

  /** Counts a socket out, once (its attachment is cleared); announces the user leaving with their last socket. */
  private dropSocket(socket: WebSocket): void {
    const info = socket.deserializeAttachment() as SocketInfo | null;
    if (!info) return;
    const built = this.presence !== undefined;
    try {
      socket.serializeAttachment(null);
    } catch {
      // a socket already torn down keeps no attachment anyway
    }
    const presence = this.presenceMap();
    if (built) {
      const entry = presence.get(info.id);
      if (!entry) return;
      entry.sockets--;
      if (entry.sockets > 0) return;
      presence.delete(info.id);
    } else if (presence.has(info.id)) {
      return;
    }
    this.fanout.broadcast({ type: "presence", online: this.onlineUsers() });
    this.party.left(Date.now());
  }

  /** Counts out a socket a shard held (closed there, or refused by it). */
  private dropShardSocket(socketId: string): void {
    const user = this.store.removeShardSocket(socketId);
    if (!user) return;
    const presence = this.presenceMap();
    const entry = presence.get(user.id);
    if (!entry) return;
    entry.sockets--;
    if (entry.sockets > 0) return;
    presence.delete(user.id);
    this.fanout.broadcast({ type: "presence", online: this.onlineUsers() });
    this.party.left(Date.now());
  }

  private onlineUsers(): PresenceUser[] {
    return [...this.presenceMap().values()].map((entry) => entry.user);
  }

  private closeSocketsOf(userId: string, code: number, reason: string): number {
    const sockets = this.ctx.getWebSockets(userId);
    for (const socket of sockets) {
      try {
        socket.close(code, reason);
      } catch {
        // already closed
      }
      this.dropSocket(socket);
    }
    const onShards = this.store.removeShardSocketsOf(userId);
    if (onShards.length > 0) {
      for (const index of new Set(onShards)) {
        void this.fanout.onShard(index, () =>
          shardStub(this.env, this.store.roomId, index).closeUser(userId, code, reason),
        );
      }
      const presence = this.presenceMap();
      if (presence.delete(userId)) this.fanout.broadcast({ type: "presence", online: this.onlineUsers() });
    }
    return sockets.length + onShards.length;
  }

  // ---- helpers ----

  private remember(room: RoomRef): void {
    if (this.store.getMeta("roomId") !== room.roomId) this.store.setMeta("roomId", room.roomId);
    if (this.store.getMeta("kind") !== room.kind) this.store.setMeta("kind", room.kind);
    if (this.store.getMeta("name") !== room.name) this.store.setMeta("name", room.name);
  }

  private roomRef(): RoomRef {
    return {
      roomId: this.store.roomId,
      kind: (this.store.getMeta("kind") ?? "public") as RoomRef["kind"],
      name: this.store.getMeta("name") ?? "",
    };
  }

  private roleOf(member: MemberRecord): RoomRole {
    return member.isAdmin && member.role === "member" ? "admin" : member.role;
  }

  private mutedNow(member: MemberRecord, now: number): boolean {
    return member.mutedUntil !== null && member.mutedUntil > now;
  }

  private sendTo(socket: Peer, frame: ServerFrame): void {
    try {
      socket.send(JSON.stringify(frame));
    } catch {
      // The socket closed meanwhile; its close handler tidies up.
    }
  }

  private refuse(socket: Peer, code: ErrorCode, message: string, clientId?: string): void {
    this.sendTo(socket, { type: "error", code, message, ...(clientId ? { clientId } : {}) });
  }
}
