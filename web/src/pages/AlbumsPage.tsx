import { useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api.ts";
import { Artwork } from "../components/Artwork.tsx";
import { Link } from "../components/Link.tsx";
import { ErrorView, Loading } from "../components/QueryView.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { PageTitle } from "../shell/PageTitle.tsx";

/** Albums as a grid of covers, newest first, paged. */
export function AlbumsPage() {
  const t = useT();
  const keys = useQueryKeys();
  const albums = useInfiniteQuery({
    queryKey: keys.albums(),
    queryFn: ({ pageParam }) => unwrap(api.albums.$get({ query: { cursor: pageParam, limit: 24 } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return (
    <section className="flex flex-col gap-4 py-6">
      <PageTitle>{t("albums.title")}</PageTitle>
      {albums.isPending ? (
        <Loading />
      ) : albums.isError ? (
        <ErrorView error={albums.error} retry={() => void albums.refetch()} />
      ) : (
        <>
          <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 md:grid-cols-4">
            {albums.data.pages
              .flatMap((page) => page.items)
              .map((album) => (
                <li key={album.id}>
                  <Link href={`/albums/${album.id}`} className="flex flex-col gap-1 text-fg no-underline">
                    <Artwork src={album.coverUrl} name={album.title} className="aspect-square w-full text-3xl" />
                    <span className="truncate font-semibold">{album.title}</span>
                    <span className="truncate text-sm text-muted">{album.owner.displayName}</span>
                  </Link>
                </li>
              ))}
          </ul>
          {albums.data.pages[0]?.items.length === 0 && <p className="text-muted">{t("albums.empty")}</p>}
          {albums.hasNextPage && (
            <button type="button" className="btn self-start" onClick={() => void albums.fetchNextPage()}>
              {t("list.more")}
            </button>
          )}
        </>
      )}
    </section>
  );
}
