import { useT } from "../../i18n/i18n.ts";
import { usePlayer } from "../../stores/player.ts";
import { Icon } from "../Icon.tsx";

export function PlayPauseButton({ size = "size-12" }: { size?: string }) {
  const t = useT();
  const playing = usePlayer((s) => s.playing);
  const toggle = usePlayer((s) => s.toggle);
  return (
    <button
      type="button"
      onClick={toggle}
      className={`${size} inline-flex shrink-0 items-center justify-center rounded-full bg-accent text-accent-fg hover:bg-accent-hover focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-link`}
      aria-label={playing ? t("player.pause") : t("player.play")}
    >
      <Icon name={playing ? "pause" : "play"} className="size-7" />
    </button>
  );
}

export function PreviousButton() {
  const t = useT();
  const previous = usePlayer((s) => s.previous);
  return (
    <button type="button" className="icon-button" onClick={previous} aria-label={t("player.previous")}>
      <Icon name="previous" />
    </button>
  );
}

export function NextButton() {
  const t = useT();
  const next = usePlayer((s) => s.next);
  const hasNext = usePlayer((s) => s.queue.length > 0 || s.repeat === "all");
  return (
    <button
      type="button"
      className="icon-button"
      onClick={() => next()}
      disabled={!hasNext}
      aria-label={t("player.next")}
    >
      <Icon name="next" />
    </button>
  );
}

export function ShuffleButton() {
  const t = useT();
  const shuffle = usePlayer((s) => s.shuffle);
  const toggleShuffle = usePlayer((s) => s.toggleShuffle);
  return (
    <button
      type="button"
      className={`icon-button ${shuffle ? "text-link" : ""}`}
      onClick={toggleShuffle}
      aria-pressed={shuffle}
      aria-label={t("player.shuffle")}
    >
      <Icon name="shuffle" />
    </button>
  );
}

export function RepeatButton() {
  const t = useT();
  const repeat = usePlayer((s) => s.repeat);
  const cycleRepeat = usePlayer((s) => s.cycleRepeat);
  return (
    <button
      type="button"
      className={`icon-button ${repeat !== "off" ? "text-link" : ""}`}
      onClick={cycleRepeat}
      aria-label={t("player.repeat", { mode: t(`player.repeat.${repeat}`) })}
    >
      <Icon name={repeat === "one" ? "repeatOne" : "repeat"} />
    </button>
  );
}

export function VolumeControl() {
  const t = useT();
  const volume = usePlayer((s) => s.volume);
  const muted = usePlayer((s) => s.muted);
  const setVolume = usePlayer((s) => s.setVolume);
  const toggleMute = usePlayer((s) => s.toggleMute);
  return (
    <div className="flex items-center">
      <button
        type="button"
        className="icon-button"
        onClick={toggleMute}
        aria-pressed={muted}
        aria-label={muted ? t("player.unmute") : t("player.mute")}
      >
        <Icon name={muted || volume === 0 ? "volumeOff" : "volume"} />
      </button>
      <input
        type="range"
        min={0}
        max={100}
        step={5}
        value={muted ? 0 : Math.round(volume * 100)}
        onChange={(e) => setVolume(Number(e.target.value) / 100)}
        aria-label={t("player.volume")}
        className="h-11 w-24 accent-accent"
      />
    </div>
  );
}
