import * as Slider from "@radix-ui/react-slider";
import { useT } from "../../i18n/i18n.ts";
import { formatDuration } from "../../lib/format.ts";
import { usePlayer } from "../../stores/player.ts";

/** Position slider: click, drag, or keys (arrows ±5 s, Page ±10 %, Home/End). */
export function SeekBar({ className = "" }: { className?: string }) {
  const t = useT();
  const position = usePlayer((s) => s.position);
  const duration = usePlayer((s) => s.duration || (s.current?.durationMs ?? 0) / 1000);
  const seek = usePlayer((s) => s.seek);
  const known = duration > 0;
  return (
    <div className={`flex items-center gap-2 text-xs text-muted tabular-nums ${className}`}>
      <span aria-hidden="true" className="w-10 text-right">
        {formatDuration(position * 1000)}
      </span>
      <Slider.Root
        className="relative flex h-11 flex-1 touch-none items-center select-none"
        value={[Math.min(position, duration || position)]}
        max={known ? duration : 1}
        step={5}
        disabled={!known}
        onValueChange={([value]) => value !== undefined && seek(value)}
      >
        <Slider.Track className="relative h-1.5 flex-1 rounded-full bg-line">
          <Slider.Range className="absolute h-full rounded-full bg-accent" />
        </Slider.Track>
        <Slider.Thumb
          aria-label={t("player.seek")}
          aria-valuetext={t("player.position", {
            position: formatDuration(position * 1000),
            duration: formatDuration(duration * 1000),
          })}
          className="block size-6 rounded-full border-2 border-accent bg-bg shadow focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-link"
        />
      </Slider.Root>
      <span aria-hidden="true" className="w-10">
        {formatDuration(duration * 1000)}
      </span>
    </div>
  );
}
