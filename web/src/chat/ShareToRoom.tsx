import { useState } from "react";
import { Link } from "../components/Link.tsx";
import { Sheet } from "../components/Sheet.tsx";
import { useT } from "../i18n/i18n.ts";
import { useRooms } from "./chat-queries.ts";
import { type ShareItem, ShareRefused, shareToRoom } from "./share-to-room.ts";

type Outcome =
  | { state: "sending"; room: string }
  | { state: "shared"; room: string; roomId: string }
  | { state: "failed"; room: string; message: string };

/** "Share to room": the user's rooms; choosing one posts the item there as a playable card. */
export function ShareToRoomDialog({
  item,
  title,
  open,
  onClose,
}: {
  item: ShareItem;
  title: string;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const rooms = useRooms();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const close = () => {
    setOutcome(null);
    onClose();
  };

  const share = async (roomId: string, room: string) => {
    setOutcome({ state: "sending", room });
    try {
      await shareToRoom(roomId, item);
      setOutcome({ state: "shared", room, roomId });
    } catch (error) {
      const message =
        error instanceof ShareRefused && error.code === "share_not_visible"
          ? t("share.notVisible", { room })
          : t("share.failed", { room, reason: error instanceof Error ? error.message : String(error) });
      setOutcome({ state: "failed", room, message });
    }
  };

  const items = rooms.data?.items ?? [];
  return (
    <Sheet open={open} onClose={close} title={t("share.title", { title })}>
      {rooms.isPending ? (
        <p role="status">{t("app.loading")}</p>
      ) : rooms.isError ? (
        <p role="alert">{t("app.error")}</p>
      ) : items.length === 0 ? (
        <p>
          {t("share.noRooms")} <Link href="/chat">{t("chat.title")}</Link>
        </p>
      ) : (
        <ul className="flex flex-col gap-1" aria-label={t("share.rooms")}>
          {items.map((room) => {
            const name =
              room.kind === "dm"
                ? t("chat.dmWith", { name: room.dmWith?.displayName ?? t("user.deleted") })
                : room.name;
            return (
              <li key={room.id}>
                <button
                  type="button"
                  className="menu-item w-full text-left"
                  disabled={outcome?.state === "sending"}
                  onClick={() => void share(room.id, name)}
                >
                  {t("share.to", { room: name })}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="mt-3 min-h-6">
        {outcome?.state === "sending" && <p role="status">{t("share.sending", { room: outcome.room })}</p>}
        {outcome?.state === "shared" && (
          <p role="status">
            {t("share.done", { room: outcome.room })}{" "}
            <Link href={`/chat/${outcome.roomId}`}>{t("share.open", { room: outcome.room })}</Link>
          </p>
        )}
        {outcome?.state === "failed" && (
          <p role="alert" className="text-danger">
            {outcome.message}
          </p>
        )}
      </div>
    </Sheet>
  );
}

/** A button that opens "Share to room" for a playlist (tracks have it in their menu). */
export function SharePlaylistButton({ id, title }: { id: string; title: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn ml-auto text-sm"
        aria-label={t("share.playlist", { title })}
        onClick={() => setOpen(true)}
      >
        {t("share.toRoom")}
      </button>
      {open && <ShareToRoomDialog item={{ kind: "playlist", id }} title={title} open onClose={() => setOpen(false)} />}
    </>
  );
}
