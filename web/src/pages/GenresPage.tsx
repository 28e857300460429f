import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { QueryView } from "../components/QueryView.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { PageTitle } from "../shell/PageTitle.tsx";

/** Every genre with its track count; each opens the genre's tracks. */
export function GenresPage() {
  const t = useT();
  const keys = useQueryKeys();
  const genres = useQuery({ queryKey: keys.genres(), queryFn: () => unwrap(api.genres.$get()) });
  return (
    <section className="flex flex-col gap-4 py-6">
      <PageTitle>{t("genres.title")}</PageTitle>
      <QueryView query={genres}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="text-muted">{t("genres.empty")}</p>
          ) : (
            <ul className="flex flex-col divide-y divide-border">
              {page.items.map((genre) => (
                <li key={genre.name}>
                  <Link
                    href={`/genres/${encodeURIComponent(genre.name)}`}
                    className="flex min-h-12 items-center justify-between gap-3 py-2 text-fg no-underline"
                  >
                    <span className="truncate font-semibold">{genre.name}</span>
                    <span className="shrink-0 text-sm text-muted">
                      {t("genres.trackCount", { count: genre.trackCount })}
                    </span>
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
