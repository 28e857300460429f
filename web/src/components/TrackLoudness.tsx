import { useT } from "../i18n/i18n.ts";
import { usePlayer } from "../stores/player.ts";

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/**
 * The track's measured loudness (EBU R128) and the gain normalisation applies to reach -14 LUFS,
 * with what the player does with it: it only turns loud tracks down (an audio element cannot
 * amplify), and only while normalisation is on.
 */
export function TrackLoudness({ loudnessLufs, gainDb }: { loudnessLufs: number | null; gainDb: number | null }) {
  const t = useT();
  const normalize = usePlayer((s) => s.normalize);
  if (loudnessLufs === null || gainDb === null) return null;
  const gain = oneDecimal(gainDb);
  const effect = !normalize
    ? t("track.loudness.off")
    : gain < 0
      ? t("track.loudness.quieter", { db: -gain })
      : t("track.loudness.asIs");
  return (
    <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
      <div className="flex gap-2">
        <dt className="text-muted">{t("track.loudness.measured")}</dt>
        <dd data-testid="loudness-lufs">{t("track.loudness.lufs", { value: oneDecimal(loudnessLufs) })}</dd>
      </div>
      <div className="flex gap-2">
        <dt className="text-muted">{t("track.loudness.gain")}</dt>
        <dd data-testid="loudness-gain">
          {t(gain > 0 ? "track.loudness.dbUp" : "track.loudness.db", { value: gain })} · {effect}
        </dd>
      </div>
    </dl>
  );
}
