import { useState } from "react";
import type { ChatMessage, RoomRole } from "../../../workers/api-types.ts";
import { api, unwrap } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { authorName } from "../lib/deleted-user.ts";
import { usePlayer } from "../stores/player.ts";
import { DeleteMessage } from "./DeleteMessage.tsx";
import { room } from "./room-store.ts";

export type ModerationAction = "mute" | "kick" | "ban" | "report" | "appoint";

export const QUICK_REACTIONS = ["👍", "❤️", "😂", "🔥"];

type Props = {
  message: ChatMessage;
  repliedTo: ChatMessage | undefined;
  meId: string;
  myRole: RoomRole;
  onReply: (message: ChatMessage) => void;
  onEdit: (message: ChatMessage) => void;
  onModerate: (action: ModerationAction, message: ChatMessage) => void;
};

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

export function MessageItem({ message, repliedTo, meId, myRole, onReply, onEdit, onModerate }: Props) {
  const t = useT();
  const [menuOpen, setMenuOpen] = useState(false);
  const mine = message.userId === meId;
  const moderator = myRole === "owner" || myRole === "moderator" || myRole === "admin";
  const deleted = !!message.deletedAt;
  return (
    <article
      className="group rounded-md px-2 py-1 hover:bg-raised focus-within:bg-raised"
      aria-label={t("chat.messageBy", { name: authorName(t, message), time: time(message.createdAt) })}
      data-message-id={message.id}
    >
      <header className="flex items-baseline gap-2 text-sm">
        <span className="font-semibold">{authorName(t, message)}</span>
        <time className="text-xs text-muted" dateTime={message.createdAt}>
          {time(message.createdAt)}
        </time>
        {message.editedAt && !deleted && <span className="text-xs text-muted">{t("chat.edited")}</span>}
      </header>
      {repliedTo && (
        <p className="border-l-2 border-line pl-2 text-xs text-muted">
          <span className="sr-only">{t("chat.inReplyTo")} </span>
          {authorName(t, repliedTo)}: {repliedTo.deletedAt ? t("chat.deletedShort") : repliedTo.body.slice(0, 120)}
        </p>
      )}
      {deleted ? (
        <p className="text-sm text-muted italic">{t("chat.deletedMessage")}</p>
      ) : (
        <p className="whitespace-pre-wrap break-words">{message.body}</p>
      )}
      {message.share && !deleted && (
        <p className="mt-1 flex items-center gap-2 rounded-md border border-line p-2 text-sm">
          {message.share.kind === "track" ? (
            <>
              <PlaySharedTrack id={message.share.id} title={message.share.title} />
              <Link href={`/tracks/${message.share.id}`}>
                ♪ {message.share.title} — {message.share.artist}
              </Link>
            </>
          ) : (
            <Link href={`/playlists/${message.share.id}`}>
              ≡ {t("chat.playlistBy", { title: message.share.title, owner: message.share.owner })}
            </Link>
          )}
        </p>
      )}
      {!deleted && message.reactions && (
        <ul className="mt-1 flex gap-1" aria-label={t("chat.reactions")}>
          {Object.entries(message.reactions).map(([emoji, users]) => (
            <li key={emoji}>
              <button
                type="button"
                className="min-h-8 rounded-full border border-line px-2 text-sm pointer-coarse:min-h-11 pointer-coarse:min-w-11"
                aria-pressed={users.includes(meId)}
                aria-label={`${emoji} ${users.length}`}
                onClick={() => room.react(message.id, emoji)}
              >
                {emoji} {users.length}
              </button>
            </li>
          ))}
        </ul>
      )}
      {!deleted && (
        <div className="mt-1 flex flex-wrap gap-1 text-xs">
          <button type="button" className="btn btn-compact" onClick={() => onReply(message)}>
            {t("chat.reply")}
          </button>
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="btn btn-compact"
              aria-label={t("chat.reactWith", { emoji })}
              onClick={() => room.react(message.id, emoji)}
            >
              {emoji}
            </button>
          ))}
          {mine && (
            <button type="button" className="btn btn-compact" onClick={() => onEdit(message)}>
              {t("chat.edit")}
            </button>
          )}
          {(mine || moderator) && <DeleteMessage message={message} mine={mine} myRole={myRole} />}
          {!mine && (
            <button
              type="button"
              className="btn btn-compact"
              aria-expanded={menuOpen}
              onClick={() => setMenuOpen((open) => !open)}
            >
              {t("chat.more")}
            </button>
          )}
          {menuOpen && !mine && (
            <span className="flex gap-1">
              <button type="button" className="btn btn-compact" onClick={() => onModerate("report", message)}>
                {t("chat.report")}
              </button>
              {moderator && (
                <>
                  <button type="button" className="btn btn-compact" onClick={() => onModerate("mute", message)}>
                    {t("chat.mute")}
                  </button>
                  <button type="button" className="btn btn-compact" onClick={() => onModerate("kick", message)}>
                    {t("chat.kick")}
                  </button>
                  <button type="button" className="btn btn-compact" onClick={() => onModerate("ban", message)}>
                    {t("chat.ban")}
                  </button>
                  {(myRole === "owner" || myRole === "admin") && (
                    <button type="button" className="btn btn-compact" onClick={() => onModerate("appoint", message)}>
                      {t("chat.appoint")}
                    </button>
                  )}
                </>
              )}
            </span>
          )}
        </div>
      )}
    </article>
  );
}

/** The shared track card's play button: loads the track (the viewer's own access applies) and plays it. */
function PlaySharedTrack({ id, title }: { id: string; title: string }) {
  const t = useT();
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  const play = async () => {
    setState("loading");
    try {
      usePlayer.getState().play(await unwrap(api.tracks[":id"].$get({ param: { id } })));
      setState("idle");
    } catch {
      setState("failed");
    }
  };
  return (
    <>
      <button
        type="button"
        className="btn-primary px-2 py-1"
        aria-label={t("chat.playShared", { title })}
        aria-busy={state === "loading"}
        disabled={state === "loading"}
        onClick={() => void play()}
      >
        ▶
      </button>
      {state === "failed" && (
        <span role="alert" className="text-danger">
          {t("app.error")}
        </span>
      )}
    </>
  );
}
