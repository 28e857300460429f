import * as Slider from "@radix-ui/react-slider";
import { useEffect, useRef, useState } from "react";
import { api } from "../api.ts";
import { formatDuration, playQualifies } from "../lib/format.ts";
import { usePlayer } from "../stores/player.ts";

/** The persistent player: signed stream URL per track, seeking by range requests, one play report per listen. */
export function PlayerBar() {
  const { current, playing, setPlaying, next, position, duration, setTime } = usePlayer();
  const audio = useRef<HTMLAudioElement>(null);
  const [error, setError] = useState<string | null>(null);
  const listened = useRef({ ms: 0, lastTime: 0, reported: false });

  useEffect(() => {
    if (!current || !audio.current) return;
    const element = audio.current;
    let cancelled = false;
    listened.current = { ms: 0, lastTime: 0, reported: false };
    setError(null);
    (async () => {
      const response = await api.tracks[":id"].stream.$get({ param: { id: current.id }, query: {} });
      if (!response.ok || cancelled) {
        if (!cancelled) setError("This track cannot be played right now.");
        return;
      }
      const { url, gainDb } = await response.json();
      // Loudness normalisation to -14 LUFS; an element's volume can only attenuate, so louder-than-target
      // tracks are turned down and quieter ones play as they are.
      element.volume = gainDb === null ? 1 : Math.min(1, 10 ** (gainDb / 20));
      element.src = url;
      if (usePlayer.getState().playing) await element.play().catch(() => setPlaying(false));
    })();
    return () => {
      cancelled = true;
    };
  }, [current, setPlaying]);

  useEffect(() => {
    const element = audio.current;
    if (!element?.src) return;
    if (playing && element.paused) element.play().catch(() => setPlaying(false));
    if (!playing && !element.paused) element.pause();
  }, [playing, setPlaying]);

  function onTimeUpdate() {
    const element = audio.current;
    if (!element || !current) return;
    const delta = element.currentTime - listened.current.lastTime;
    if (delta > 0 && delta < 2) listened.current.ms += delta * 1000;
    listened.current.lastTime = element.currentTime;
    setTime({ position: element.currentTime });
    if (!listened.current.reported && playQualifies(listened.current.ms, current.durationMs)) {
      listened.current.reported = true;
      void api.tracks[":id"].plays.$post({
        param: { id: current.id },
        json: { listenedMs: Math.round(listened.current.ms) },
      });
    }
  }

  if (!current) return null;
  return (
    <section aria-label="Player" className="sticky bottom-0 border-t border-zinc-800 bg-zinc-900 px-6 py-3">
      {/* biome-ignore lint/a11y/useMediaCaption: instrumental audio has no captions; title and artist are shown as text */}
      <audio
        ref={audio}
        preload="auto"
        onTimeUpdate={onTimeUpdate}
        onLoadedMetadata={(e) => setTime({ duration: e.currentTarget.duration })}
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={next}
        onError={() => setError("Playback failed.")}
      />
      <div className="mx-auto flex max-w-5xl items-center gap-4">
        <button
          type="button"
          className="btn-primary w-24"
          onClick={() => setPlaying(!playing)}
          aria-label={playing ? `Pause ${current.title}` : `Play ${current.title}`}
        >
          {playing ? "Pause" : "Play"}
        </button>
        <div className="min-w-0 flex-1">
          <p className="truncate font-semibold" data-testid="now-playing">
            {current.title} <span className="font-normal text-zinc-400">· {current.artist}</span>
          </p>
          <div className="flex items-center gap-3 text-xs text-zinc-400">
            <span aria-hidden="true">{formatDuration(position * 1000)}</span>
            <Slider.Root
              className="relative flex h-5 flex-1 touch-none items-center"
              value={[position]}
              max={duration || 1}
              step={1}
              onValueChange={([value]) => {
                if (audio.current && value !== undefined) audio.current.currentTime = value;
                setTime({ position: value ?? 0 });
              }}
            >
              <Slider.Track className="relative h-1 flex-1 rounded bg-zinc-700">
                <Slider.Range className="absolute h-full rounded bg-sky-500" />
              </Slider.Track>
              <Slider.Thumb
                aria-label="Seek"
                aria-valuetext={`${formatDuration(position * 1000)} of ${formatDuration(duration * 1000)}`}
                className="block h-3 w-3 rounded-full bg-white focus-visible:outline-2 focus-visible:outline-sky-400"
              />
            </Slider.Root>
            <span aria-hidden="true">{formatDuration(duration * 1000)}</span>
          </div>
          {error && (
            <p role="alert" className="text-xs text-red-400">
              {error}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
