import { useQueryClient } from "@tanstack/react-query";
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ChatMessage } from "../../../workers/api-types.ts";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { PartyPanel } from "../party/PartyPanel.tsx";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";
import { Composer } from "./Composer.tsx";
import { chatApi, useRoomInfo } from "./chat-queries.ts";
import { MessageItem, type ModerationAction } from "./MessageItem.tsx";
import { room, useRoom } from "./room-store.ts";

export function RoomPage({ id }: { id: string }) {
  const me = useSession((s) => s.user);
  const info = useRoomInfo(id);
  const state = useRoom();
  const t = useT();
  const keys = useQueryKeys();
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
        <Link href="/login">{t("chat.signIn")}</Link>
      </p>
    );
  }

  const title =
    info.data?.kind === "dm"
      ? t("chat.dmWith", { name: info.data.dmWith?.displayName ?? t("user.deleted") })
      : (info.data?.name ?? t("chat.title"));

  const loadOlder = () => {
    const element = list.current;
    if (element) firstHeight.current = { height: element.scrollHeight, top: element.scrollTop };
    room.loadOlder();
  };

  const moderate = async (action: ModerationAction, message: ChatMessage) => {
    try {
      if (action === "report") {
        const reason = window.prompt(t("chat.reportReason"));
        if (reason === null) return;
        await chatApi.report(id, message.id, reason);
        setNotice(t("chat.reported"));
        return;
      }
      const name = message.displayName;
      const texts: Record<Exclude<ModerationAction, "report">, [string, string]> = {
        appoint: [t("chat.confirmAppoint", { name }), t("chat.appointed", { name })],
        mute: [t("chat.confirmMute", { name }), t("chat.muted", { name })],
        kick: [t("chat.confirmKick", { name }), t("chat.kicked", { name })],
        ban: [t("chat.confirmBan", { name }), t("chat.banned", { name })],
      };
      const [confirm, done] = texts[action];
      if (!window.confirm(confirm)) return;
      if (action === "mute") await chatApi.mute(id, message.userId, 10);
      if (action === "kick") await chatApi.kick(id, message.userId);
      if (action === "ban") await chatApi.ban(id, message.userId);
      if (action === "appoint") await chatApi.appoint(id, message.userId);
      setNotice(done);
    } catch (error) {
      setNotice(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <section className="flex h-[calc(100dvh-13rem)] min-h-96 flex-col py-4">
      <header className="flex flex-wrap items-baseline gap-3 pb-2">
        <PageTitle text={title} />
        {info.data?.topic && <p className="text-muted">{info.data.topic}</p>}
        <p role="status" className="ml-auto text-sm text-muted">
          {state.status === "connecting" && t("chat.connecting")}
          {state.status === "reconnecting" && t("chat.reconnecting")}
          {state.status === "open" &&
            t("chat.online", { count: state.online.length, names: state.online.map((u) => u.displayName).join(", ") })}
        </p>
      </header>
      {info.data?.canModerate && info.data.kind === "private" && <InviteForm roomId={id} />}
      {info.data?.kind !== "dm" && <PartyPanel />}
      {state.closedReason && (
        <p role="alert" className="rounded-md border border-danger p-2">
          {state.closedReason}
        </p>
      )}
      {notice && (
        <p role="status" className="text-sm text-muted">
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
            {state.loadingOlder ? t("app.loading") : t("chat.loadOlder")}
          </button>
        )}
        <ol aria-label={t("chat.messages")} className="flex flex-col gap-1">
          {state.messages.map((message) => (
            <Fragment key={message.id}>
              {message.id === markerBefore && (
                <li className="my-2 border-t border-accent text-center text-xs text-link">{t("chat.newMessages")}</li>
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
            <li key={pending.clientId} className="px-2 py-1 text-muted">
              <p className="whitespace-pre-wrap">{pending.body}</p>
              {pending.failed ? (
                <p className="text-sm text-danger">
                  {t("chat.notSent", { reason: pending.failed })}{" "}
                  <button type="button" className="btn btn-compact" onClick={() => room.retry(pending.clientId)}>
                    {t("chat.retry")}
                  </button>{" "}
                  <button type="button" className="btn btn-compact" onClick={() => room.discard(pending.clientId)}>
                    {t("chat.discard")}
                  </button>
                </p>
              ) : (
                <p className="text-xs">{t("chat.sending")}</p>
              )}
            </li>
          ))}
        </ol>
      </div>
      <p className="h-5 text-sm text-muted" aria-live="polite">
        {state.typing.length > 0 && t("chat.typing", { names: state.typing.map((x) => x.user.displayName).join(", ") })}
      </p>
      <div className="sr-only" aria-live="polite" aria-atomic="true">
        {latestFromOthers && state.status === "open"
          ? t("chat.announce", { name: latestFromOthers.displayName, body: latestFromOthers.body })
          : ""}
      </div>
      {state.lastError && !state.closedReason && (
        <p role="alert" className="text-sm text-danger">
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
  const t = useT();
  const [username, setUsername] = useState("");
  const [result, setResult] = useState<string | null>(null);
  return (
    <form
      className="mb-2 flex items-center gap-2 text-sm"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await chatApi.invite(roomId, username.trim());
          setResult(t("chat.invited", { name: username.trim() }));
          setUsername("");
        } catch (error) {
          setResult(error instanceof Error ? error.message : String(error));
        }
      }}
    >
      <label htmlFor="invite-username">{t("chat.inviteLabel")}</label>
      <input id="invite-username" className="input" value={username} onChange={(e) => setUsername(e.target.value)} />
      <button type="submit" className="btn" disabled={!username.trim()}>
        {t("chat.invite")}
      </button>
      {result && <span role="status">{result}</span>}
    </form>
  );
}
