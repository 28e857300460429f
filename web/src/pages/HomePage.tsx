import { useQuery } from "@tanstack/react-query";
import { api } from "../api.ts";
import { TrackList } from "../components/TrackList.tsx";
import { useSession } from "../stores/session.ts";

export function HomePage() {
  const user = useSession((s) => s.user);
  const recent = useQuery({
    queryKey: ["tracks", "recent"],
    queryFn: async () => (await api.tracks.$get({ query: { limit: "50" } })).json(),
  });
  return (
    <section aria-labelledby="home-title" className="py-6">
      <h1 id="home-title" className="text-2xl font-bold">
        {user ? `Welcome back, ${user.displayName}` : "Music from the artists you follow"}
      </h1>
      <h2 className="mt-6 mb-2 text-lg font-semibold">New tracks</h2>
      {recent.isPending ? (
        <p role="status">Loading…</p>
      ) : recent.data && "items" in recent.data ? (
        <TrackList tracks={recent.data.items} label="New tracks" />
      ) : (
        <p role="alert">Could not load tracks.</p>
      )}
    </section>
  );
}
