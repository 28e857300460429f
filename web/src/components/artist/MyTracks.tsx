import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { TrackResponse } from "../../../../workers/api-types.ts";
import { api, unwrap } from "../../api.ts";
import { useT } from "../../i18n/i18n.ts";
import { formatDuration } from "../../lib/format.ts";
import { useQueryKeys } from "../../lib/query-keys.ts";
import { useUserEvents } from "../../lib/useUserEvents.ts";
import { Artwork } from "../Artwork.tsx";
import { Link } from "../Link.tsx";
import { ErrorView, Loading } from "../QueryView.tsx";
import { TrackEditor } from "./TrackEditor.tsx";

const STATUS_CLASS: Record<TrackResponse["status"], string> = {
  ready: "border-line text-muted",
  processing: "border-accent text-link",
  uploading: "border-accent text-link",
  failed: "border-danger text-danger",
};

/** The artist's own tracks, every status and visibility, with the reason a failed one failed. */
export function MyTracks({ username }: { username: string }) {
  const t = useT();
  const keys = useQueryKeys();
  const [editing, setEditing] = useState<TrackResponse | null>(null);
  const tracks = useInfiniteQuery({
    queryKey: keys.tracksBy(username),
    queryFn: ({ pageParam }) => unwrap(api.tracks.$get({ query: { owner: username, cursor: pageParam, limit: 50 } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  useUserEvents((event) => {
    if (event.type === "track.status") void tracks.refetch();
  });
  if (tracks.isPending) return <Loading />;
  if (tracks.isError) return <ErrorView error={tracks.error} retry={() => void tracks.refetch()} />;
  const items = tracks.data.pages.flatMap((page) => page.items);
  return (
    <section aria-labelledby="my-tracks" className="flex flex-col gap-2">
      <h2 id="my-tracks" className="text-lg font-semibold">
        {t("artist.yourTracks")}
      </h2>
      {items.length === 0 ? (
        <p className="text-muted">{t("list.empty")}</p>
      ) : (
        <ul className="flex flex-col" data-testid="my-tracks">
          {items.map((track) => (
            <li key={track.id} className="flex items-center gap-3 border-b border-line py-2">
              <Artwork src={track.coverUrl} name={track.title} className="size-11 text-sm" />
              <div className="min-w-0 flex-1">
                <Link href={`/tracks/${track.id}`} className="block truncate py-2.5 font-semibold">
                  {track.title}
                </Link>
                <p className="flex flex-wrap items-center gap-2 text-sm text-muted">
                  <span className={`rounded-full border px-2 ${STATUS_CLASS[track.status]}`}>
                    {t(`track.status.${track.status}`)}
                  </span>
                  <span>{t(`artist.visibility.${track.visibility}`)}</span>
                  <span>{formatDuration(track.durationMs)}</span>
                </p>
                {track.status === "failed" && (
                  <p className="text-sm text-danger">
                    {t("track.failedReason", { reason: track.failureReason ?? t("upload.unknownReason") })}
                  </p>
                )}
              </div>
              <button type="button" className="btn" onClick={() => setEditing(track)}>
                {t("artist.edit")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {tracks.hasNextPage && (
        <button type="button" className="btn self-start" onClick={() => void tracks.fetchNextPage()}>
          {t("list.more")}
        </button>
      )}
      {editing && <TrackEditor key={editing.id} track={editing} open onClose={() => setEditing(null)} />}
    </section>
  );
}
