import { useQuery } from "@tanstack/react-query";
import { api } from "../api.ts";
import { useSession } from "../stores/session.ts";

export function HomePage() {
  const user = useSession((s) => s.user);
  const health = useQuery({
    queryKey: ["health"],
    queryFn: async () => (await api.health.$get()).json(),
  });
  return (
    <section aria-labelledby="home-title" className="py-6">
      <h1 id="home-title" className="text-2xl font-bold">
        {user ? `Welcome back, ${user.displayName}` : "Music from the artists you follow"}
      </h1>
      <p role="status" aria-live="polite" className="mt-2 text-sm text-zinc-400">
        {health.isPending ? "Connecting…" : health.data?.ok ? `Online · v${health.data.version}` : "Offline"}
      </p>
    </section>
  );
}
