import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import type { TrackResponse } from "../../../workers/api-types.ts";
import { api, unwrap } from "../api.ts";
import { SharePlaylistButton } from "../chat/ShareToRoom.tsx";
import { Artwork } from "../components/Artwork.tsx";
import { Link } from "../components/Link.tsx";
import { ErrorView, Loading } from "../components/QueryView.tsx";
import { TrackList } from "../components/TrackList.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { navigate, useLocation } from "../lib/router.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

type SearchType = "tracks" | "users" | "playlists";
const TYPES: SearchType[] = ["tracks", "users", "playlists"];
type Named = {
  id: string;
  username?: string;
  displayName?: string;
  avatarUrl?: string | null;
  title?: string;
  owner?: { displayName: string };
};

/** Search as you type (prefix matching), debounced; the query lives in the URL so results can be shared. */
export function SearchPage() {
  const t = useT();
  const keys = useQueryKeys();
  const { search } = useLocation();
  const type = (TYPES as string[]).includes(search.get("type") ?? "") ? (search.get("type") as SearchType) : "tracks";
  const [text, setText] = useState(search.get("q") ?? "");
  const [q, setQ] = useState(text);
  const inputId = useId();
  const signedIn = useSession((s) => !!s.user);

  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(text.trim());
      const params = new URLSearchParams({ q: text.trim(), type });
      window.history.replaceState(null, "", `/search?${params}`);
    }, 200);
    return () => clearTimeout(timer);
  }, [text, type]);

  const results = useQuery({
    queryKey: keys.search(type, q),
    enabled: q.length > 0,
    queryFn: () => unwrap(api.search.$get({ query: { q, type } })),
  });
  const items = (results.data?.items ?? []) as unknown[];

  return (
    <section className="flex flex-col gap-4 py-6">
      <PageTitle>{t("search.title")}</PageTitle>
      <label htmlFor={inputId} className="sr-only">
        {t("search.label", { type: t(`search.type.${type}`) })}
      </label>
      <input
        id={inputId}
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t("search.placeholder")}
        maxLength={200}
        className="input w-full"
      />
      <div role="tablist" aria-label={t("search.tabs")} className="flex gap-2 overflow-x-auto">
        {TYPES.map((option) => (
          <button
            key={option}
            type="button"
            role="tab"
            aria-selected={option === type}
            className={option === type ? "btn-primary" : "btn"}
            onClick={() => navigate(`/search?${new URLSearchParams({ q: text, type: option })}`)}
          >
            {t(`search.type.${option}`)}
          </button>
        ))}
      </div>
      <div aria-live="polite">
        {q.length === 0 ? null : results.isPending ? (
          <Loading label={t("search.searching")} />
        ) : results.isError ? (
          <ErrorView error={results.error} retry={() => void results.refetch()} />
        ) : items.length === 0 ? (
          <p>{t("search.none", { q })}</p>
        ) : type === "tracks" ? (
          <TrackList tracks={items as TrackResponse[]} label={t("search.results")} />
        ) : (
          <ul className="flex flex-col gap-1">
            {(items as Named[]).map((item) => (
              <li key={item.id} className="flex items-center gap-3 py-1">
                {type === "users" ? (
                  <>
                    <Artwork src={item.avatarUrl} name={item.displayName ?? ""} className="size-11 text-sm" round />
                    <Link href={`/u/${item.username}`} className="target-link min-w-0 truncate">
                      {item.displayName}
                    </Link>
                  </>
                ) : (
                  <>
                    <Artwork src={null} name={item.title ?? ""} className="size-11 text-sm" />
                    <span>
                      <Link href={`/playlists/${item.id}`}>{item.title}</Link>{" "}
                      <span className="text-muted">{t("search.by", { name: item.owner?.displayName ?? "" })}</span>
                    </span>
                    {signedIn && <SharePlaylistButton id={item.id} title={item.title ?? ""} />}
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
