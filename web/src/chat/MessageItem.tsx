import { useState } from "react";
import type { ChatMessage, RoomRole } from "../../../workers/chat/protocol.ts";
import { Link } from "../components/Link.tsx";
import { room } from "./room-store.ts";

export const QUICK_REACTIONS = ["👍", "❤️", "😂", "🔥"];

type Props = {
  message: ChatMessage;
  repliedTo: ChatMessage | undefined;
  meId: string;
  myRole: RoomRole;
  onReply: (message: ChatMessage) => void;
  onEdit: (message: ChatMessage) => void;
  onModerate: (action: "mute" | "kick" | "ban" | "report", message: ChatMessage) => void;
};

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

export function MessageItem({ message, repliedTo, meId, myRole, onReply, onEdit, onModerate }: Props) {
  const [menuOpen, setMenuOpen] = useState(false);
  const mine = message.userId === meId;
  const moderator = myRole === "owner" || myRole === "moderator" || myRole === "admin";
  const deleted = !!message.deletedAt;
  return (
    <article
      className="group rounded-md px-2 py-1 hover:bg-zinc-900 focus-within:bg-zinc-900"
      aria-label={`${message.displayName} at ${time(message.createdAt)}`}
      data-message-id={message.id}
    >
      <header className="flex items-baseline gap-2 text-sm">
        <span className="font-semibold">{message.displayName}</span>
        <time className="text-xs text-zinc-500" dateTime={message.createdAt}>
          {time(message.createdAt)}
        </time>
        {message.editedAt && !deleted && <span className="text-xs text-zinc-500">(edited)</span>}
      </header>
      {repliedTo && (
        <p className="border-l-2 border-zinc-700 pl-2 text-xs text-zinc-400">
          <span className="sr-only">In reply to </span>
          {repliedTo.displayName}: {repliedTo.deletedAt ? "deleted message" : repliedTo.body.slice(0, 120)}
        </p>
      )}
      {deleted ? (
        <p className="text-sm text-zinc-500 italic">This message was deleted.</p>
      ) : (
        <p className="whitespace-pre-wrap break-words">{message.body}</p>
      )}
      {message.share && !deleted && (
        <p className="mt-1 rounded-md border border-zinc-700 p-2 text-sm">
          {message.share.kind === "track" ? (
            <Link href={`/tracks/${message.share.id}`}>
              ♪ {message.share.title} — {message.share.artist}
            </Link>
          ) : (
            <Link href={`/playlists/${message.share.id}`}>
              ≡ {message.share.title} (playlist by {message.share.owner})
            </Link>
          )}
        </p>
      )}
      {!deleted && message.reactions && (
        <ul className="mt-1 flex gap-1" aria-label="Reactions">
          {Object.entries(message.reactions).map(([emoji, users]) => (
            <li key={emoji}>
              <button
                type="button"
                className="rounded-full border border-zinc-700 px-2 text-sm"
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
          <button type="button" className="btn py-0.5" onClick={() => onReply(message)}>
            Reply
          </button>
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="btn py-0.5"
              aria-label={`React with ${emoji}`}
              onClick={() => room.react(message.id, emoji)}
            >
              {emoji}
            </button>
          ))}
          {mine && (
            <button type="button" className="btn py-0.5" onClick={() => onEdit(message)}>
              Edit
            </button>
          )}
          {(mine || moderator) && (
            <button
              type="button"
              className="btn py-0.5"
              onClick={() => window.confirm("Delete this message?") && room.remove(message.id)}
            >
              Delete
            </button>
          )}
          {!mine && (
            <button
              type="button"
              className="btn py-0.5"
              aria-expanded={menuOpen}
              onClick={() => setMenuOpen((open) => !open)}
            >
              More
            </button>
          )}
          {menuOpen && !mine && (
            <span className="flex gap-1">
              <button type="button" className="btn py-0.5" onClick={() => onModerate("report", message)}>
                Report
              </button>
              {moderator && (
                <>
                  <button type="button" className="btn py-0.5" onClick={() => onModerate("mute", message)}>
                    Mute 10 min
                  </button>
                  <button type="button" className="btn py-0.5" onClick={() => onModerate("kick", message)}>
                    Remove from room
                  </button>
                  <button type="button" className="btn py-0.5" onClick={() => onModerate("ban", message)}>
                    Ban
                  </button>
                </>
              )}
            </span>
          )}
        </div>
      )}
    </article>
  );
}
