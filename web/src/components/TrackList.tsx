import type { TrackResponse } from "../../../workers/catalog/schemas.ts";
import { formatDuration } from "../lib/format.ts";
import { usePlayer } from "../stores/player.ts";
import { Link } from "./Link.tsx";

export function TrackList({ tracks, label }: { tracks: TrackResponse[]; label: string }) {
  const play = usePlayer((s) => s.play);
  const currentId = usePlayer((s) => s.current?.id);
  if (tracks.length === 0) return <p className="text-zinc-400">No tracks yet.</p>;
  return (
    <ol aria-label={label} className="divide-y divide-zinc-800">
      {tracks.map((track) => (
        <li key={track.id} className="flex items-center gap-4 py-2">
          <button
            type="button"
            className="btn w-20"
            onClick={() => play(track, tracks)}
            disabled={track.status !== "ready"}
            aria-label={`Play ${track.title} by ${track.artist}`}
            aria-pressed={currentId === track.id}
          >
            Play
          </button>
          <div className="min-w-0 flex-1">
            <Link href={`/tracks/${track.id}`} className="font-semibold">
              {track.title}
            </Link>
            <p className="truncate text-sm text-zinc-400">
              <Link href={`/u/${track.owner.username}`}>{track.artist}</Link>
              {track.status !== "ready" && ` · ${track.status}`}
            </p>
          </div>
          <span className="text-sm text-zinc-400">{formatDuration(track.durationMs)}</span>
        </li>
      ))}
    </ol>
  );
}
