import { useInfiniteQuery } from "@tanstack/react-query";
import { useId } from "react";
import { api, unwrap } from "../api.ts";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { Artwork } from "./Artwork.tsx";
import { Link } from "./Link.tsx";
import { ErrorView, Loading } from "./QueryView.tsx";

/**
 * Albums as a grid of covers, newest first, paged: everyone's, or one owner's. `empty` is what an
 * empty list says (nothing at all, heading included, when null). With `heading`, the grid is a
 * section under that h2.
 */
export function AlbumGrid({
  owner,
  label,
  empty,
  heading,
}: {
  owner?: string;
  label: string;
  empty: string | null;
  heading?: string;
}) {
  const headingId = useId();
  const t = useT();
  const keys = useQueryKeys();
  const albums = useInfiniteQuery({
    queryKey: owner ? [...keys.albums(), "grid", owner] : keys.albums(),
    queryFn: ({ pageParam }) => unwrap(api.albums.$get({ query: { owner, cursor: pageParam, limit: 24 } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = albums.data?.pages.flatMap((page) => page.items) ?? [];
  // An optional grid (empty: null) shows nothing until it has albums, not even its loading state.
  if (empty === null && !albums.isError && items.length === 0) return null;
  const body = albums.isPending ? (
    <Loading />
  ) : albums.isError ? (
    <ErrorView error={albums.error} retry={() => void albums.refetch()} />
  ) : items.length === 0 ? (
    <p className="text-muted">{empty}</p>
  ) : (
    <>
      <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 md:grid-cols-4" aria-label={label}>
        {items.map((album) => (
          <li key={album.id}>
            <Link href={`/albums/${album.id}`} className="flex flex-col gap-1 text-fg no-underline">
              <Artwork src={album.coverUrl} name={album.title} className="aspect-square w-full text-3xl" />
              <span className="truncate font-semibold">{album.title}</span>
              <span className="truncate text-sm text-muted">
                {owner ? t("albums.trackCount", { count: album.trackCount }) : album.owner.displayName}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {albums.hasNextPage && (
        <button type="button" className="btn self-start" onClick={() => void albums.fetchNextPage()}>
          {t("list.more")}
        </button>
      )}
    </>
  );
  if (!heading) return body;
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <h2 id={headingId} className="text-lg font-semibold">
        {heading}
      </h2>
      {body}
    </section>
  );
}
