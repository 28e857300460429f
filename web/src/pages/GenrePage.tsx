import { api, unwrap } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { PagedTracks } from "../components/PagedTracks.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { PageTitle } from "../shell/PageTitle.tsx";

/** One genre's tracks, newest first. */
export function GenrePage({ name }: { name: string }) {
  const t = useT();
  const keys = useQueryKeys();
  return (
    <section className="flex flex-col gap-4 py-6">
      <Link href="/genres" className="target-link self-start">
        {t("genres.all")}
      </Link>
      <PageTitle>{name}</PageTitle>
      <PagedTracks
        queryKey={keys.genre(name)}
        fetchPage={(cursor) => unwrap(api.tracks.$get({ query: { genre: name, cursor, limit: 20 } }))}
        label={t("genres.tracksOf", { genre: name })}
        empty={t("genres.noTracks")}
      />
    </section>
  );
}
