import { useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api.ts";
import { Artwork } from "../components/Artwork.tsx";
import { Link } from "../components/Link.tsx";
import { ErrorView, Loading } from "../components/QueryView.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { PageTitle } from "../shell/PageTitle.tsx";

/** Everyone with a track you can hear, by name, paged; each opens the artist's profile. */
export function ArtistsPage() {
  const t = useT();
  const keys = useQueryKeys();
  const artists = useInfiniteQuery({
    queryKey: keys.artists(),
    queryFn: ({ pageParam }) => unwrap(api.artists.$get({ query: { cursor: pageParam, limit: 50 } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return (
    <section className="flex flex-col gap-4 py-6">
      <PageTitle>{t("artists.title")}</PageTitle>
      {artists.isPending ? (
        <Loading />
      ) : artists.isError ? (
        <ErrorView error={artists.error} retry={() => void artists.refetch()} />
      ) : (
        <>
          <ul className="flex flex-col divide-y divide-border">
            {artists.data.pages
              .flatMap((page) => page.items)
              .map((artist) => (
                <li key={artist.id}>
                  <Link
                    href={`/u/${artist.username}`}
                    className="flex min-h-12 items-center gap-3 py-2 text-fg no-underline"
                  >
                    <Artwork src={artist.avatarUrl} name={artist.displayName} className="size-10 shrink-0" round />
                    <span className="flex min-w-0 flex-col">
                      <span className="truncate font-semibold">{artist.displayName}</span>
                      <span className="truncate text-sm text-muted">
                        {t("genres.trackCount", { count: artist.trackCount })}
                      </span>
                    </span>
                  </Link>
                </li>
              ))}
          </ul>
          {artists.data.pages[0]?.items.length === 0 && <p className="text-muted">{t("artists.empty")}</p>}
          {artists.hasNextPage && (
            <button type="button" className="btn self-start" onClick={() => void artists.fetchNextPage()}>
              {t("list.more")}
            </button>
          )}
        </>
      )}
    </section>
  );
}
