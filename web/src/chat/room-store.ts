import { create } from "zustand";
import {
  type ChatMessage,
  CLOSE_BANNED,
  CLOSE_KICKED,
  type ClientFrame,
  flattenFrames,
  PING,
  type PresenceUser,
  type ServerFrame,
  type You,
} from "../../../workers/chat/protocol.ts";
import { authedFetch, errorMessage } from "../api.ts";

const PING_EVERY_MS = 25_000;
const TYPING_SEND_EVERY_MS = 2_000;
const TYPING_SHOWN_MS = 4_000;

export type Outgoing = { clientId: string; body: string; replyTo?: string; failed?: string };

export type RoomState = {
  roomId: string | null;
  status: "idle" | "connecting" | "open" | "reconnecting" | "closed";
  /** Why the room closed for good (banned, kicked, refused), shown to the user. */
  closedReason: string | null;
  you: You | null;
  /** Ordered by `seq`, each message once. */
  messages: ChatMessage[];
  hasMore: boolean;
  loadingOlder: boolean;
  online: PresenceUser[];
  typing: { user: PresenceUser; until: number }[];
  /** Sent but not yet acknowledged; resent with the same clientId after a reconnect. */
  outgoing: Outgoing[];
  /** The read position when the room was opened: messages after it get the "new" marker. */
  readMarkerSeq: number;
  lastError: string | null;
};

const initial: RoomState = {
  roomId: null,
  status: "idle",
  closedReason: null,
  you: null,
  messages: [],
  hasMore: false,
  loadingOlder: false,
  online: [],
  typing: [],
  outgoing: [],
  readMarkerSeq: 0,
  lastError: null,
};

export const useRoom = create<RoomState>(() => initial);

/** Inserts messages into an ordered list, replacing ones already there (edits, duplicates). */
export function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Merges changes to messages (a reconnect's catch-up, an edit, a delete): the latest state of
 * each message already shown replaces it, and newer messages join; a change to an older message
 * not loaded yet is left for `history`, so the list keeps no gap. A state older than the one
 * shown (by `updatedSeq`) never replaces it.
 */
export function mergeChanges(current: ChatMessage[], changed: ChatMessage[]): ChatMessage[] {
  const shown = new Map(current.map((m) => [m.id, m]));
  const newest = current.at(-1)?.seq ?? 0;
  return mergeMessages(
    current,
    changed.filter((m) => {
      const mine = shown.get(m.id);
      return mine ? m.updatedSeq >= mine.updatedSeq : m.seq > newest;
    }),
  );
}

/** The highest update number the client has seen: what it reconnects with. */
export function lastUpdateSeen(messages: ChatMessage[]): number {
  return messages.reduce((max, m) => Math.max(max, m.updatedSeq), 0);
}

/** The room's WebSocket address for a one-time ticket. */
export function roomSocketUrl(roomId: string, ticket: string): URL {
  const url = new URL(`/api/v1/rooms/${encodeURIComponent(roomId)}/ws`, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("ticket", ticket);
  return url;
}

let socket: WebSocket | null = null;
let pingTimer: ReturnType<typeof setInterval> | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;
let lastTypingSent = 0;
/** Bumped on every open/leave so callbacks of an old socket do nothing. */
let generation = 0;

/** Other features on the room's connection (the listening party) see every frame too. */
const frameListeners = new Set<(frame: ServerFrame) => void>();

export function onRoomFrame(listener: (frame: ServerFrame) => void): () => void {
  frameListeners.add(listener);
  return () => frameListeners.delete(listener);
}

function set(partial: Partial<RoomState> | ((state: RoomState) => Partial<RoomState>)) {
  useRoom.setState(partial);
}

function apply(frame: ServerFrame, first: boolean) {
  if (frame.type !== "batch") for (const listener of frameListeners) listener(frame);
  switch (frame.type) {
    case "hello":
      set((s) => ({
        status: "open",
        you: frame.you,
        online: frame.online,
        // A fresh open replaces the list; a reconnect applies what was created or changed meanwhile.
        messages: first || frame.fresh ? frame.messages : mergeChanges(s.messages, frame.messages),
        hasMore: first || frame.fresh ? frame.hasMore : s.hasMore,
        readMarkerSeq: first ? frame.you.lastReadSeq : s.readMarkerSeq,
        lastError: null,
      }));
      failures = 0;
      for (const pending of useRoom.getState().outgoing) {
        sendFrame({ type: "send", clientId: pending.clientId, body: pending.body, replyTo: pending.replyTo });
      }
      return;
    case "message":
      set((s) => ({
        messages: mergeMessages(s.messages, [frame.message]),
        typing: s.typing.filter((t) => t.user.id !== frame.message.userId),
      }));
      return;
    case "ack":
      set((s) => ({
        messages: mergeMessages(s.messages, [frame.message]),
        outgoing: s.outgoing.filter((o) => o.clientId !== frame.clientId),
      }));
      return;
    case "edited":
    case "deleted":
      set((s) => ({ messages: mergeChanges(s.messages, [frame.message]) }));
      return;
    case "reaction":
      set((s) => ({
        messages: s.messages.map((m) =>
          m.id === frame.messageId && frame.updatedSeq >= m.updatedSeq
            ? { ...m, reactions: frame.reactions, updatedSeq: frame.updatedSeq }
            : m,
        ),
      }));
      return;
    case "typing": {
      if (frame.user.id === useRoom.getState().you?.id) return;
      const until = Date.now() + TYPING_SHOWN_MS;
      set((s) => ({ typing: [...s.typing.filter((t) => t.user.id !== frame.user.id), { user: frame.user, until }] }));
      setTimeout(() => set((s) => ({ typing: s.typing.filter((t) => t.until > Date.now()) })), TYPING_SHOWN_MS + 50);
      return;
    }
    case "presence":
      set({ online: frame.online });
      return;
    case "history":
      set((s) => ({
        messages: mergeMessages(s.messages, frame.messages),
        hasMore: frame.hasMore,
        loadingOlder: false,
      }));
      return;
    case "read":
      set((s) => (s.you ? { you: { ...s.you, lastReadSeq: Math.max(s.you.lastReadSeq, frame.seq) } } : {}));
      return;
    case "error":
      set((s) => ({
        lastError: frame.message,
        outgoing: frame.clientId
          ? s.outgoing.map((o) => (o.clientId === frame.clientId ? { ...o, failed: frame.message } : o))
          : s.outgoing,
      }));
      return;
    case "batch":
      for (const inner of flattenFrames(frame)) apply(inner, first);
      return;
  }
}

function sendFrame(frame: ClientFrame): boolean {
  if (socket?.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

async function connect(roomId: string, mine: number) {
  // Until the first hello, this is an open (the list is replaced); after it, a reconnect (merged).
  const first = useRoom.getState().you === null;
  try {
    const response = await authedFetch(`/api/v1/rooms/${encodeURIComponent(roomId)}/ticket`, { method: "POST" });
    if (mine !== generation) return;
    if (!response.ok) {
      const message = await errorMessage(response);
      if (response.status === 403 || response.status === 404) {
        set({ status: "closed", closedReason: message });
        return;
      }
      throw new Error(message);
    }
    const { ticket } = (await response.json()) as { ticket: string };
    const seen = useRoom.getState().messages;
    const url = roomSocketUrl(roomId, ticket);
    if (!first && seen.length > 0) url.searchParams.set("updatedSince", String(lastUpdateSeen(seen)));
    const ws = new WebSocket(url);
    socket = ws;
    let helloSeen = !first;
    ws.onmessage = (event) => {
      if (mine !== generation || typeof event.data !== "string" || event.data === "pong") return;
      const frame = JSON.parse(event.data) as ServerFrame;
      apply(frame, !helloSeen);
      if (frame.type === "hello") helloSeen = true;
    };
    ws.onclose = (event) => {
      if (mine !== generation) return;
      clearInterval(pingTimer);
      if (event.code === CLOSE_BANNED || event.code === CLOSE_KICKED) {
        set({ status: "closed", closedReason: event.reason || "You can no longer be in this room." });
        return;
      }
      scheduleReconnect(roomId, mine);
    };
    clearInterval(pingTimer);
    pingTimer = setInterval(() => socket?.readyState === WebSocket.OPEN && socket.send(PING), PING_EVERY_MS);
  } catch (error) {
    if (mine !== generation) return;
    set({ lastError: error instanceof Error ? error.message : String(error) });
    scheduleReconnect(roomId, mine);
  }
}

function scheduleReconnect(roomId: string, mine: number) {
  set({ status: "reconnecting" });
  failures++;
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => connect(roomId, mine), Math.min(15_000, 250 * 2 ** failures));
}

/** The room connection: open one room at a time, send frames, leave. */
export const room = {
  open(roomId: string) {
    room.leave();
    const mine = ++generation;
    failures = 0;
    set({ ...initial, roomId, status: "connecting" });
    void connect(roomId, mine);
  },

  leave() {
    generation++;
    clearInterval(pingTimer);
    clearTimeout(retryTimer);
    const old = socket;
    socket = null;
    old?.close(1000, "left");
    set(initial);
  },

  send(body: string, replyTo?: string) {
    const clientId = crypto.randomUUID();
    set((s) => ({ outgoing: [...s.outgoing, { clientId, body, replyTo }] }));
    sendFrame({ type: "send", clientId, body, replyTo });
  },

  retry(clientId: string) {
    const pending = useRoom.getState().outgoing.find((o) => o.clientId === clientId);
    if (!pending) return;
    set((s) => ({ outgoing: s.outgoing.map((o) => (o.clientId === clientId ? { ...o, failed: undefined } : o)) }));
    sendFrame({ type: "send", clientId, body: pending.body, replyTo: pending.replyTo });
  },

  discard(clientId: string) {
    set((s) => ({ outgoing: s.outgoing.filter((o) => o.clientId !== clientId) }));
  },

  edit(messageId: string, body: string) {
    sendFrame({ type: "edit", messageId, body });
  },

  /** Deletes a message; `reason` is required of an admin deleting someone else's (audited). */
  remove(messageId: string, reason?: string) {
    sendFrame(reason ? { type: "delete", messageId, reason } : { type: "delete", messageId });
  },

  react(messageId: string, emoji: string) {
    sendFrame({ type: "react", messageId, emoji });
  },

  typing() {
    const now = Date.now();
    if (now - lastTypingSent < TYPING_SEND_EVERY_MS) return;
    lastTypingSent = now;
    sendFrame({ type: "typing" });
  },

  /** Sends any client frame (false when not connected). */
  sendFrame,

  read(messageId: string) {
    sendFrame({ type: "read", messageId });
  },

  loadOlder() {
    const { messages, hasMore, loadingOlder } = useRoom.getState();
    if (!hasMore || loadingOlder) return;
    if (sendFrame({ type: "history", before: messages[0]?.id })) set({ loadingOlder: true });
  },
};
