import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import type { TrackResponse } from "../../../workers/api-types.ts";
import { ShareToRoomDialog } from "../chat/ShareToRoom.tsx";
import { useT } from "../i18n/i18n.ts";
import { saveForOffline } from "../lib/offline.ts";
import { addToPlaylist, myPlaylists } from "../lib/playlists.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { navigate } from "../lib/router.ts";
import { usePlayer } from "../stores/player.ts";
import { useSession } from "../stores/session.ts";
import { Icon } from "./Icon.tsx";

/** A row's menu: play next, add to queue, add to one of your playlists, save for offline, share to a chat room. */
export function TrackMenu({ track }: { track: TrackResponse }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [saved, setSaved] = useState<"idle" | "saving" | "saved" | "failed">("idle");
  const [choosing, setChoosing] = useState(false);
  const [message, setMessage] = useState("");
  const user = useSession((s) => s.user);
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const playlists = useQuery({
    queryKey: keys.playlists(),
    queryFn: () => myPlaylists(user?.username ?? ""),
    enabled: choosing && user !== null,
  });
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) {
      setChoosing(false);
      return;
    }
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener("pointerdown", close);
    document.addEventListener("keydown", close);
    root.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    return () => {
      document.removeEventListener("pointerdown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const act = (action: () => void) => () => {
    action();
    setOpen(false);
  };
  const save = async () => {
    setSaved("saving");
    try {
      await saveForOffline(track.id, undefined, track);
      setSaved("saved");
    } catch {
      setSaved("failed");
    }
  };

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        className="icon-button"
        aria-label={t("track.menu", { title: track.title })}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
      >
        <Icon name="more" />
      </button>
      {open && (
        <div
          id={menuId}
          role="menu"
          className="absolute right-0 z-20 mt-1 flex w-56 flex-col rounded-md border border-line bg-surface py-1 shadow-lg"
        >
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={act(() => usePlayer.getState().playNext(track))}
          >
            {t("track.playNext")}
          </button>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={act(() => usePlayer.getState().addToQueue(track))}
          >
            {t("track.addToQueue")}
          </button>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={act(() => navigate(`/u/${track.owner.username}`))}
          >
            {t("track.goToArtist")}
          </button>
          {user && (
            <button
              type="button"
              role="menuitem"
              className="menu-item"
              aria-expanded={choosing}
              onClick={() => setChoosing(!choosing)}
            >
              {t("track.addToPlaylist")}
            </button>
          )}
          {choosing && (
            <div className="border-y border-line bg-bg">
              {playlists.data?.items.length === 0 && (
                <p className="px-4 py-2 text-sm text-muted">{t("playlist.none")}</p>
              )}
              {playlists.data?.items.map((playlist) => (
                <button
                  key={playlist.id}
                  type="button"
                  role="menuitem"
                  className="menu-item pl-8"
                  onClick={act(() => {
                    addToPlaylist(playlist.id, track.id)
                      .then(() => {
                        setMessage(t("playlist.added", { title: playlist.title }));
                        return queryClient.invalidateQueries({ queryKey: keys.playlist(playlist.id) });
                      })
                      .catch((error: Error) => setMessage(error.message));
                  })}
                >
                  {playlist.title}
                </button>
              ))}
            </div>
          )}
          <button type="button" role="menuitem" className="menu-item" onClick={act(() => void save())}>
            {t("track.saveOffline")}
          </button>
          {user && (
            <button type="button" role="menuitem" className="menu-item" onClick={act(() => setSharing(true))}>
              {t("share.toRoom")}
            </button>
          )}
        </div>
      )}
      {message && (
        <span role="status" className="sr-only">
          {message}
        </span>
      )}
      {sharing && (
        <ShareToRoomDialog
          item={{ kind: "track", id: track.id }}
          title={track.title}
          open
          onClose={() => setSharing(false)}
        />
      )}
      {saved !== "idle" && (
        <span role="status" className="sr-only">
          {saved === "saved" ? t("track.savedOffline") : saved === "failed" ? t("app.error") : t("app.loading")}
        </span>
      )}
    </div>
  );
}
