import type { TrackResponse } from "../../../workers/api-types.ts";
import { useT } from "../i18n/i18n.ts";
import { formatDuration } from "../lib/format.ts";
import { usePlayer } from "../stores/player.ts";
import { Artwork } from "./Artwork.tsx";
import { Icon } from "./Icon.tsx";
import { Link } from "./Link.tsx";
import { TrackMenu } from "./TrackMenu.tsx";

/** Rows of tracks: Play (Pause on the playing one) plays the row with the rest of the list queued. */
export function TrackList({ tracks, label }: { tracks: TrackResponse[]; label: string }) {
  const t = useT();
  const play = usePlayer((s) => s.play);
  const toggle = usePlayer((s) => s.toggle);
  const currentId = usePlayer((s) => s.current?.id);
  const playing = usePlayer((s) => s.playing);
  if (tracks.length === 0) return <p className="text-muted">{t("list.empty")}</p>;
  return (
    <ol aria-label={label} className="flex flex-col">
      {tracks.map((track) => {
        const isCurrent = currentId === track.id;
        const isPlaying = isCurrent && playing;
        const vars = { title: track.title, artist: track.artist };
        return (
          <li key={track.id} className="flex items-center gap-2 border-b border-line py-1.5 sm:gap-3">
            <button
              type="button"
              className={`icon-button ${isCurrent ? "bg-accent text-accent-fg hover:bg-accent-hover" : ""}`}
              onClick={() => (isCurrent ? toggle() : play(track, tracks))}
              disabled={track.status !== "ready"}
              aria-label={isPlaying ? t("track.pauseLabel", vars) : t("track.playLabel", vars)}
            >
              <Icon name={isPlaying ? "pause" : "play"} />
            </button>
            <Artwork src={track.coverUrl} name={track.title} className="size-11 text-sm" />
            {/* The title's link covers the whole text block, a tall touch target. Under a finger the
                artist is plain text (a 24 px link under it would be too small): the menu's "Go to
                artist" and the track page lead there. */}
            <div className="relative min-w-0 flex-1">
              <Link
                href={`/tracks/${track.id}`}
                className="block truncate font-semibold text-fg no-underline after:absolute after:inset-0 hover:underline"
              >
                {track.title}
              </Link>
              <p className="truncate text-sm text-muted">
                <Link
                  href={`/u/${track.owner.username}`}
                  className="relative z-10 inline-block min-h-6 leading-6 text-muted pointer-coarse:hidden"
                >
                  {track.artist}
                </Link>
                <span className="hidden leading-6 pointer-coarse:inline">{track.artist}</span>
                {track.status !== "ready" && ` · ${t(`track.status.${track.status}`)}`}
              </p>
            </div>
            <span className="hidden text-sm text-muted tabular-nums sm:inline">{formatDuration(track.durationMs)}</span>
            {track.status === "ready" && <TrackMenu track={track} />}
          </li>
        );
      })}
    </ol>
  );
}
