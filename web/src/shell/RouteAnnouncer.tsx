import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n.ts";
import { usePlayer } from "../stores/player.ts";
import { usePageTitle } from "./page-title.ts";

/** Announces each new page to screen readers, and keeps the tab title on the page or on what plays. */
export function RouteAnnouncer() {
  const t = useT();
  const { title, seq } = usePageTitle();
  const current = usePlayer((s) => s.current);
  const playing = usePlayer((s) => s.playing);
  const [message, setMessage] = useState("");

  useEffect(() => {
    if (seq > 1 && title) setMessage(t("app.navigated", { title }));
  }, [seq, title, t]);

  useEffect(() => {
    const app = t("app.name");
    document.title =
      playing && current
        ? `▶ ${t("player.nowPlaying", { title: current.title, artist: current.artist })}`
        : title
          ? `${title} · ${app}`
          : app;
  }, [title, playing, current, t]);

  return (
    <p aria-live="polite" aria-atomic="true" className="sr-only">
      {message}
    </p>
  );
}
