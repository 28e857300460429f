import { useCallback, useMemo, useState } from "react";
import { useT } from "../../i18n/i18n.ts";
import { usePlayer } from "../../stores/player.ts";
import { Artwork } from "../Artwork.tsx";
import { Icon } from "../Icon.tsx";
import { Link } from "../Link.tsx";
import { Sheet } from "../Sheet.tsx";
import { AudioEngine } from "./AudioEngine.tsx";
import {
  NextButton,
  PlayPauseButton,
  PreviousButton,
  RepeatButton,
  ShuffleButton,
  VolumeControl,
} from "./Controls.tsx";
import { QueuePanel } from "./QueuePanel.tsx";
import { SeekBar } from "./SeekBar.tsx";
import { SHORTCUTS, useShortcuts } from "./useShortcuts.ts";

/**
 * The persistent player: a mini bar (phones: title, play, next; tap to open the full player)
 * that grows into the full controls on wide screens; the full player, with the queue, in a sheet.
 */
export function PlayerDock() {
  const t = useT();
  const current = usePlayer((s) => s.current);
  const progress = usePlayer((s) => (s.duration > 0 ? s.position / s.duration : 0));
  const [error, setError] = useState<string | null>(null);
  const [sheet, setSheet] = useState<"player" | "help" | null>(null);
  const onError = useCallback((message: string | null) => setError(message), []);
  const open = useMemo(() => ({ queue: () => setSheet("player"), help: () => setSheet("help") }), []);
  useShortcuts(open);

  return (
    <>
      <AudioEngine onError={onError} />
      {current && (
        <section aria-label={t("player.region")} className="border-t border-line bg-surface" data-testid="player">
          <div className="h-0.5 bg-line sm:hidden" aria-hidden="true">
            <div className="h-full origin-left bg-accent" style={{ transform: `scaleX(${progress})` }} />
          </div>
          <div className="mx-auto flex max-w-5xl items-center gap-2 px-3 py-1.5 sm:px-6">
            <button
              type="button"
              className="flex min-h-11 min-w-0 flex-1 items-center gap-3 text-left sm:flex-none sm:basis-64"
              onClick={() => setSheet("player")}
              aria-haspopup="dialog"
            >
              <Artwork src={current.coverUrl} name={current.title} className="size-10 text-sm" />
              <span className="min-w-0">
                <span className="block truncate font-semibold" data-testid="now-playing">
                  {current.title}
                </span>
                <span className="block truncate text-sm text-muted">{current.artist}</span>
                <span className="sr-only">{t("player.expand")}</span>
              </span>
            </button>
            <div className="flex items-center gap-1">
              <span className="hidden sm:inline-flex">
                <PreviousButton />
              </span>
              <PlayPauseButton size="size-11" />
              <NextButton />
            </div>
            <SeekBar className="hidden flex-1 sm:flex" />
            <div className="hidden items-center lg:flex">
              <ShuffleButton />
              <RepeatButton />
              <VolumeControl />
            </div>
            <button
              type="button"
              className="icon-button hidden sm:inline-flex"
              onClick={() => setSheet("player")}
              aria-label={t("player.queue")}
            >
              <Icon name="queue" />
            </button>
          </div>
          {error && (
            <p role="alert" className="px-3 pb-1 text-center text-sm text-danger">
              {error}
            </p>
          )}
        </section>
      )}
      <Sheet open={sheet === "player" && current !== null} onClose={() => setSheet(null)} title={t("player.region")}>
        {current && (
          <div className="flex flex-col gap-4">
            <div className="flex items-center gap-4">
              <Artwork src={current.coverUrl} name={current.title} className="size-24 text-3xl sm:size-32" />
              <div className="min-w-0">
                <Link
                  href={`/tracks/${current.id}`}
                  className="block truncate py-2 text-xl font-bold"
                  onClick={() => setSheet(null)}
                >
                  {current.title}
                </Link>
                <Link
                  href={`/u/${current.owner.username}`}
                  className="target-link text-muted"
                  onClick={() => setSheet(null)}
                >
                  {current.artist}
                </Link>
              </div>
            </div>
            <SeekBar />
            <div className="flex flex-wrap items-center justify-center gap-2">
              <ShuffleButton />
              <PreviousButton />
              <PlayPauseButton size="size-14" />
              <NextButton />
              <RepeatButton />
            </div>
            <div className="flex justify-center">
              <VolumeControl />
            </div>
            <QueuePanel />
          </div>
        )}
      </Sheet>
      <Sheet open={sheet === "help"} onClose={() => setSheet(null)} title={t("shortcuts.title")}>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2">
          {SHORTCUTS.map((shortcut) => (
            <div key={shortcut.action} className="contents">
              <dt className="flex gap-1">
                {shortcut.keys.map((key) => (
                  <kbd key={key} className="rounded border border-line bg-raised px-1.5 font-mono text-sm">
                    {key}
                  </kbd>
                ))}
              </dt>
              <dd>{t(`shortcuts.${shortcut.action}`)}</dd>
            </div>
          ))}
        </dl>
      </Sheet>
    </>
  );
}
