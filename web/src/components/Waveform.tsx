import { useQuery } from "@tanstack/react-query";
import type { KeyboardEvent, PointerEvent } from "react";
import { api, unwrap } from "../api.ts";
import { useT } from "../i18n/i18n.ts";
import { formatDuration } from "../lib/format.ts";
import { publicKeys } from "../lib/query-keys.ts";

const BARS = 200;

/** Bars from the peaks, scaled so the track's own loudest moment fills the height. */
export function scaledBars(peaks: number[], bars = BARS): number[] {
  if (peaks.length === 0) return [];
  const step = peaks.length / bars;
  const raw = Array.from({ length: bars }, (_, i) => {
    const from = Math.floor(i * step);
    const slice = peaks.slice(from, Math.max(from + 1, Math.floor((i + 1) * step)));
    return Math.max(...slice);
  });
  const top = Math.max(...raw);
  return raw.map((value) => (top > 0 ? value / top : 0));
}

export type TimedMark = { id: string; atMs: number; label: string };

/**
 * The waveform as a seek control: click or drag to a point, or use the keys (arrows ±5 s, Home,
 * End). Timed comments sit on it at their moment.
 */
export function Waveform({
  trackId,
  durationMs,
  progress,
  onSeek,
  marks = [],
}: {
  trackId: string;
  durationMs: number;
  progress: number;
  onSeek: (ms: number) => void;
  marks?: TimedMark[];
}) {
  const t = useT();
  const waveform = useQuery({
    queryKey: publicKeys.waveform(trackId),
    queryFn: () => unwrap(api.tracks[":id"].waveform.$get({ param: { id: trackId } })),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const bars = scaledBars(waveform.data?.peaks ?? []);
  if (bars.length === 0) return null;

  const seekTo = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const fraction = Math.max(0, Math.min(1, (event.clientX - box.left) / box.width));
    onSeek(fraction * durationMs);
  };
  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const now = progress * durationMs;
    const target =
      event.key === "ArrowRight" || event.key === "ArrowUp"
        ? now + 5000
        : event.key === "ArrowLeft" || event.key === "ArrowDown"
          ? now - 5000
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? durationMs - 1000
              : null;
    if (target === null) return;
    event.preventDefault();
    onSeek(Math.max(0, Math.min(durationMs, target)));
  };

  const position = progress * durationMs;
  return (
    <div className="relative">
      <div
        role="slider"
        tabIndex={0}
        aria-label={t("player.seek")}
        aria-valuemin={0}
        aria-valuemax={Math.round(durationMs / 1000)}
        aria-valuenow={Math.round(position / 1000)}
        aria-valuetext={t("player.position", {
          position: formatDuration(position),
          duration: formatDuration(durationMs),
        })}
        className="h-24 w-full cursor-pointer touch-none rounded-md"
        data-testid="waveform"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture?.(event.pointerId);
          seekTo(event);
        }}
        onPointerMove={(event) => event.buttons === 1 && seekTo(event)}
        onKeyDown={onKey}
      >
        <svg viewBox={`0 0 ${BARS} 100`} preserveAspectRatio="none" className="size-full" aria-hidden="true">
          {bars.map((height, i) => {
            const h = Math.max(2, height * 96);
            return (
              <rect
                // biome-ignore lint/suspicious/noArrayIndexKey: bars are positional
                key={i}
                x={i + 0.15}
                y={(100 - h) / 2}
                width={0.7}
                height={h}
                className={i / BARS < progress ? "fill-accent" : "fill-wave"}
              />
            );
          })}
        </svg>
      </div>
      {marks.map((mark) => (
        <span
          key={mark.id}
          title={mark.label}
          aria-hidden="true"
          className="pointer-events-none absolute -bottom-2 size-3 -translate-x-1/2 rounded-full border-2 border-bg bg-link"
          style={{ left: `${Math.min(100, (mark.atMs / Math.max(1, durationMs)) * 100)}%` }}
        />
      ))}
    </div>
  );
}
