import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, unwrap } from "../api.ts";
import { Artwork } from "../components/Artwork.tsx";
import { Link } from "../components/Link.tsx";
import { PagedTracks } from "../components/PagedTracks.tsx";
import { QueryView } from "../components/QueryView.tsx";
import { useT } from "../i18n/i18n.ts";
import { myPlaylists } from "../lib/playlists.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { navigate } from "../lib/router.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

/** Your music: playlists (and a new one), liked tracks, and what you played. */
export function LibraryPage() {
  const t = useT();
  const user = useSession((s) => s.user);
  const keys = useQueryKeys();
  if (!user) {
    return (
      <section className="flex flex-col gap-4 py-6">
        <PageTitle>{t("nav.library")}</PageTitle>
        <p>
          <Link href="/login">{t("library.signIn")}</Link>
        </p>
        <BrowseLinks />
      </section>
    );
  }
  return (
    <div className="flex flex-col gap-8 py-6">
      <PageTitle>{t("nav.library")}</PageTitle>
      <BrowseLinks />
      <p>
        <Link href="/offline" className="target-link">
          {t("library.offline")}
        </Link>
      </p>
      <Playlists username={user.username} />
      <section aria-labelledby="library-likes">
        <h2 id="library-likes" className="mb-2 text-lg font-semibold">
          {t("library.likes")}
        </h2>
        <PagedTracks
          queryKey={keys.likes()}
          label={t("library.likes")}
          empty={t("library.likesEmpty")}
          fetchPage={(cursor) => unwrap(api.me.likes.$get({ query: { cursor, limit: 20 } }))}
        />
      </section>
      <section aria-labelledby="library-history">
        <h2 id="library-history" className="mb-2 text-lg font-semibold">
          {t("library.history")}
        </h2>
        <PagedTracks
          queryKey={keys.history()}
          label={t("library.history")}
          empty={t("library.historyEmpty")}
          fetchPage={async (cursor) => {
            const page = await unwrap(api.me.history.$get({ query: { cursor, limit: 20 } }));
            // The same track played twice is listed once, at its latest play.
            const seen = new Set<string>();
            const items = page.items.map((item) => item.track).filter((t) => !seen.has(t.id) && seen.add(t.id));
            return { items, nextCursor: page.nextCursor };
          }}
        />
      </section>
    </div>
  );
}

function Playlists({ username }: { username: string }) {
  const t = useT();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();
  const playlists = useQuery({ queryKey: keys.playlists(), queryFn: () => myPlaylists(username) });
  const create = useMutation({
    mutationFn: (title: string) => unwrap(api.playlists.$post({ json: { title } })),
    onSuccess: async (playlist) => {
      await queryClient.invalidateQueries({ queryKey: keys.playlists() });
      navigate(`/playlists/${playlist.id}`);
    },
    onError: (failure) => setError(failure.message),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const title = String(new FormData(event.currentTarget).get("title") ?? "").trim();
    if (title) create.mutate(title);
  };

  return (
    <section aria-labelledby="library-playlists" className="flex flex-col gap-3">
      <h2 id="library-playlists" className="text-lg font-semibold">
        {t("library.playlists")}
      </h2>
      <form onSubmit={submit} className="flex gap-2">
        <label htmlFor={fieldId} className="sr-only">
          {t("playlist.newTitle")}
        </label>
        <input
          id={fieldId}
          name="title"
          required
          maxLength={200}
          placeholder={t("playlist.newTitle")}
          className="input min-w-0 flex-1"
        />
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {t("playlist.create")}
        </button>
      </form>
      {error && (
        <p role="alert" className="text-danger">
          {error}
        </p>
      )}
      <QueryView query={playlists}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="text-muted">{t("library.playlistsEmpty")}</p>
          ) : (
            <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 md:grid-cols-4">
              {data.items.map((playlist) => (
                <li key={playlist.id}>
                  <Link href={`/playlists/${playlist.id}`} className="flex flex-col gap-1 text-fg no-underline">
                    <Artwork src={null} name={playlist.title} className="aspect-square w-full text-3xl" />
                    <span className="truncate font-semibold underline-offset-2 hover:underline">{playlist.title}</span>
                    <span className="text-sm text-muted">{t("profile.tracks", { count: playlist.trackCount })}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

/** The catalog's indexes: albums, artists, genres. */
function BrowseLinks() {
  const t = useT();
  return (
    <nav aria-label={t("library.browse")} className="flex flex-wrap gap-x-4 gap-y-2">
      <Link href="/albums" className="target-link">
        {t("library.browseAlbums")}
      </Link>
      <Link href="/artists" className="target-link">
        {t("library.browseArtists")}
      </Link>
      <Link href="/genres" className="target-link">
        {t("library.browseGenres")}
      </Link>
    </nav>
  );
}
