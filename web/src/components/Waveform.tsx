import { useQuery } from "@tanstack/react-query";
import { api } from "../api.ts";

/** The track's peaks as bars; decorative (the seek slider is the accessible control). */
export function Waveform({ trackId, progress }: { trackId: string; progress: number }) {
  const waveform = useQuery({
    queryKey: ["waveform", trackId],
    queryFn: async () => {
      const response = await api.tracks[":id"].waveform.$get({ param: { id: trackId } });
      return response.ok ? response.json() : null;
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
  const peaks = waveform.data?.peaks;
  if (!peaks || peaks.length === 0) return null;
  const bars = 200;
  const step = peaks.length / bars;
  return (
    <svg viewBox={`0 0 ${bars} 100`} preserveAspectRatio="none" className="h-20 w-full" aria-hidden="true">
      {Array.from({ length: bars }, (_, i) => {
        const slice = peaks.slice(Math.floor(i * step), Math.max(Math.floor(i * step) + 1, Math.floor((i + 1) * step)));
        const height = Math.max(2, Math.max(...slice) * 100);
        return (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: bars are positional
            key={i}
            x={i + 0.15}
            y={(100 - height) / 2}
            width={0.7}
            height={height}
            className={i / bars < progress ? "fill-sky-500" : "fill-zinc-600"}
          />
        );
      })}
    </svg>
  );
}
