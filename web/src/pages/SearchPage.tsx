import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import type { TrackResponse } from "../../../workers/catalog/schemas.ts";
import { api } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { TrackList } from "../components/TrackList.tsx";
import { navigate, useLocation } from "../lib/router.ts";

type SearchType = "tracks" | "users" | "playlists";
const TYPES: SearchType[] = ["tracks", "users", "playlists"];

/** Search as you type (prefix matching), debounced; the query lives in the URL so results can be shared. */
export function SearchPage() {
  const { search } = useLocation();
  const type = (TYPES as string[]).includes(search.get("type") ?? "") ? (search.get("type") as SearchType) : "tracks";
  const [text, setText] = useState(search.get("q") ?? "");
  const [q, setQ] = useState(text);
  const inputId = useId();

  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(text.trim());
      const params = new URLSearchParams({ q: text.trim(), type });
      window.history.replaceState(null, "", `/search?${params}`);
    }, 200);
    return () => clearTimeout(timer);
  }, [text, type]);

  const results = useQuery({
    queryKey: ["search", type, q],
    enabled: q.length > 0,
    queryFn: async () => (await api.search.$get({ query: { q, type } })).json(),
  });
  const items = results.data && "items" in results.data ? results.data.items : [];

  return (
    <section aria-labelledby="search-title" className="py-8">
      <h1 id="search-title" className="mb-4 text-2xl font-bold">
        Search
      </h1>
      <label htmlFor={inputId} className="sr-only">
        Search {type}
      </label>
      <input
        id={inputId}
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Tracks, artists, playlists"
        maxLength={200}
        className="input w-full"
      />
      <div role="tablist" aria-label="What to search" className="my-4 flex gap-2">
        {TYPES.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={t === type}
            className="btn"
            onClick={() => navigate(`/search?${new URLSearchParams({ q: text, type: t })}`)}
          >
            {t}
          </button>
        ))}
      </div>
      <div aria-live="polite">
        {q.length === 0 ? null : results.isPending ? (
          <p>Searching…</p>
        ) : items.length === 0 ? (
          <p>No results for “{q}”.</p>
        ) : type === "tracks" ? (
          <TrackList tracks={items as TrackResponse[]} label="Search results" />
        ) : (
          <ul className="flex flex-col gap-2">
            {items.map((item: any) => (
              <li key={item.id}>
                {type === "users" ? (
                  <Link href={`/u/${item.username}`}>{item.displayName}</Link>
                ) : (
                  <span>
                    {item.title} <span className="text-zinc-400">by {item.owner?.displayName}</span>
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
