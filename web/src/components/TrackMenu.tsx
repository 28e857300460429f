import { useEffect, useId, useRef, useState } from "react";
import type { TrackResponse } from "../../../workers/api-types.ts";
import { useT } from "../i18n/i18n.ts";
import { saveForOffline } from "../lib/offline.ts";
import { usePlayer } from "../stores/player.ts";
import { Icon } from "./Icon.tsx";

/** A row's menu: play next, add to queue, save for offline. */
export function TrackMenu({ track }: { track: TrackResponse }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<"idle" | "saving" | "saved" | "failed">("idle");
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
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
      await saveForOffline(track.id);
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
          <button type="button" role="menuitem" className="menu-item" onClick={act(() => void save())}>
            {t("track.saveOffline")}
          </button>
        </div>
      )}
      {saved !== "idle" && (
        <span role="status" className="sr-only">
          {saved === "saved" ? t("track.savedOffline") : saved === "failed" ? t("app.error") : t("app.loading")}
        </span>
      )}
    </div>
  );
}
