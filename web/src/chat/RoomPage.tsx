import { useQueryClient } from "@tanstack/react-query";
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ChatMessage } from "../../../workers/chat/protocol.ts";
import { Link } from "../components/Link.tsx";
import { useSession } from "../stores/session.ts";
import { Composer } from "./Composer.tsx";
import { chatApi, useChatKeys, useRoomInfo } from "./chat-queries.ts";
import { MessageItem } from "./MessageItem.tsx";
import { room, useRoom } from "./room-store.ts";

export function RoomPage({ id }: { id: string }) {
  const me = useSession((s) => s.user);
  const info = useRoomInfo(id);
  const state = useRoom();
  const keys = useChatKeys();
  const queryClient = useQueryClient();
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const [editing, setEditing] = useState<ChatMessage | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const firstHeight = useRef<{ height: number; top: number } | null>(null);

  const meId = me?.id;
  useEffect(() => {
    if (!meId) return;
    room.open(id);
    return () => {
      room.leave();
      void queryClient.invalidateQueries({ queryKey: keys.rooms() });
    };
  }, [id, meId, queryClient, keys]);

  // Mark the latest message read while the page is visible.
  const last = state.messages.at(-1);
  useEffect(() => {
    if (!last || !state.you || last.seq <= state.you.lastReadSeq) return;
    if (document.visibilityState === "visible") room.read(last.id);
  }, [last, state.you]);

  // Stay at the bottom for new messages (unless the reader scrolled up); keep position when older ones load.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each change of the message list
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    if (firstHeight.current) {
      element.scrollTop = element.scrollHeight - firstHeight.current.height + firstHeight.current.top;
      firstHeight.current = null;
    } else if (stickToBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [state.messages]);

  const byId = useMemo(() => new Map(state.messages.map((m) => [m.id, m])), [state.messages]);
  const markerBefore = state.messages.find((m) => m.seq > state.readMarkerSeq && m.userId !== me?.id)?.id;
  const latestFromOthers = [...state.messages].reverse().find((m) => m.userId !== me?.id && !m.deletedAt);

  if (!me) {
    return (
      <p className="py-10">
        <Link href="/login">Sign in to chat.</Link>
      </p>
    );
  }

  const title =
    info.data?.kind === "dm"
      ? `Direct message with ${info.data.dmWith?.displayName ?? ""}`
      : (info.data?.name ?? "Room");

  const loadOlder = () => {
    const element = list.current;
    if (element) firstHeight.current = { height: element.scrollHeight, top: element.scrollTop };
    room.loadOlder();
  };

  const moderate = async (action: "mute" | "kick" | "ban" | "report", message: ChatMessage) => {
    try {
      if (action === "report") {
        const reason = window.prompt("Why are you reporting this message?") ?? "";
        await chatApi.report(id, message.id, reason);
        setNotice("Thank you: the message was reported to the admins.");
      } else if (window.confirm(`${action} ${message.displayName}?`)) {
        if (action === "mute") await chatApi.mute(id, message.userId, 10);
        if (action === "kick") await chatApi.kick(id, message.userId);
        if (action === "ban") await chatApi.ban(id, message.userId);
        setNotice(
          `${message.displayName}: ${action === "mute" ? "muted for 10 minutes" : action === "kick" ? "removed" : "banned"}.`,
        );
      }
    } catch (error) {
      setNotice(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <section aria-labelledby="room-title" className="flex h-[calc(100vh-9rem)] flex-col py-4">
      <header className="flex flex-wrap items-baseline gap-3 pb-2">
        <h1 id="room-title" className="text-2xl font-bold">
          {title}
        </h1>
        {info.data?.topic && <p className="text-zinc-400">{info.data.topic}</p>}
        <p role="status" className="ml-auto text-sm text-zinc-400">
          {state.status === "connecting" && "Connecting…"}
          {state.status === "reconnecting" && "Reconnecting…"}
          {state.status === "open" &&
            `${state.online.length} online: ${state.online.map((u) => u.displayName).join(", ")}`}
        </p>
      </header>
      {info.data?.canModerate && info.data.kind === "private" && <InviteForm roomId={id} />}
      {state.closedReason && (
        <p role="alert" className="rounded-md border border-red-800 p-2">
          {state.closedReason}
        </p>
      )}
      {notice && (
        <p role="status" className="text-sm text-zinc-300">
          {notice}
        </p>
      )}
      <div
        ref={list}
        className="flex-1 overflow-y-auto"
        onScroll={(event) => {
          const el = event.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
          if (el.scrollTop < 40 && state.hasMore) loadOlder();
        }}
      >
        {state.hasMore && (
          <button type="button" className="btn my-2" onClick={loadOlder} disabled={state.loadingOlder}>
            {state.loadingOlder ? "Loading…" : "Load older messages"}
          </button>
        )}
        <ol aria-label="Messages" className="flex flex-col gap-1">
          {state.messages.map((message) => (
            <Fragment key={message.id}>
              {message.id === markerBefore && (
                <li className="my-2 border-t border-sky-600 text-center text-xs text-sky-400">New messages</li>
              )}
              <li>
                <MessageItem
                  message={message}
                  repliedTo={message.replyTo ? byId.get(message.replyTo) : undefined}
                  meId={me.id}
                  myRole={state.you?.role ?? "member"}
                  onReply={(m) => {
                    setEditing(null);
                    setReplyTo(m);
                  }}
                  onEdit={(m) => {
                    setReplyTo(null);
                    setEditing(m);
                  }}
                  onModerate={moderate}
                />
              </li>
            </Fragment>
          ))}
          {state.outgoing.map((pending) => (
            <li key={pending.clientId} className="px-2 py-1 text-zinc-400">
              <p className="whitespace-pre-wrap">{pending.body}</p>
              {pending.failed ? (
                <p className="text-sm text-red-400">
                  Not sent: {pending.failed}{" "}
                  <button type="button" className="btn py-0.5" onClick={() => room.retry(pending.clientId)}>
                    Retry
                  </button>{" "}
                  <button type="button" className="btn py-0.5" onClick={() => room.discard(pending.clientId)}>
                    Discard
                  </button>
                </p>
              ) : (
                <p className="text-xs">Sending…</p>
              )}
            </li>
          ))}
        </ol>
      </div>
      <p className="h-5 text-sm text-zinc-400" aria-live="polite">
        {state.typing.length > 0 && `${state.typing.map((t) => t.user.displayName).join(", ")} typing…`}
      </p>
      <div className="sr-only" aria-live="polite" aria-atomic="true">
        {latestFromOthers && state.status === "open" ? `${latestFromOthers.displayName}: ${latestFromOthers.body}` : ""}
      </div>
      {state.lastError && !state.closedReason && (
        <p role="alert" className="text-sm text-red-400">
          {state.lastError}
        </p>
      )}
      <Composer
        replyTo={replyTo}
        editing={editing}
        disabled={
          state.status === "closed" || !!(state.you?.mutedUntil && Date.parse(state.you.mutedUntil) > Date.now())
        }
        onDone={() => {
          setReplyTo(null);
          setEditing(null);
        }}
      />
    </section>
  );
}

function InviteForm({ roomId }: { roomId: string }) {
  const [username, setUsername] = useState("");
  const [result, setResult] = useState<string | null>(null);
  return (
    <form
      className="mb-2 flex items-center gap-2 text-sm"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await chatApi.invite(roomId, username.trim());
          setResult(`Invited ${username.trim()}.`);
          setUsername("");
        } catch (error) {
          setResult(error instanceof Error ? error.message : String(error));
        }
      }}
    >
      <label htmlFor="invite-username">Invite by username</label>
      <input
        id="invite-username"
        className="input py-1"
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <button type="submit" className="btn" disabled={!username.trim()}>
        Invite
      </button>
      {result && <span role="status">{result}</span>}
    </form>
  );
}
