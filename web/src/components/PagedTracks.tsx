import { type QueryKey, useInfiniteQuery } from "@tanstack/react-query";
import type { TrackResponse } from "../../../workers/api-types.ts";
import { useT } from "../i18n/i18n.ts";
import { ErrorView, Loading } from "./QueryView.tsx";
import { TrackList } from "./TrackList.tsx";

export type TrackPage = { items: TrackResponse[]; nextCursor: string | null };

/** A cursor-paged list of tracks with a "Show more" button. */
export function PagedTracks({
  queryKey,
  fetchPage,
  label,
  empty,
}: {
  queryKey: QueryKey;
  fetchPage: (cursor: string | undefined) => Promise<TrackPage>;
  label: string;
  empty?: string;
}) {
  const t = useT();
  const pages = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (pages.isPending) return <Loading />;
  if (pages.isError) return <ErrorView error={pages.error} retry={() => void pages.refetch()} />;
  const tracks = pages.data.pages.flatMap((page) => page.items);
  if (tracks.length === 0 && empty) return <p className="text-muted">{empty}</p>;
  return (
    <div className="flex flex-col items-start gap-3">
      <div className="w-full">
        <TrackList tracks={tracks} label={label} />
      </div>
      {pages.hasNextPage && (
        <button
          type="button"
          className="btn"
          onClick={() => void pages.fetchNextPage()}
          disabled={pages.isFetchingNextPage}
        >
          {pages.isFetchingNextPage ? t("app.loading") : t("list.more")}
        </button>
      )}
    </div>
  );
}
