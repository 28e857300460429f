import { useQuery } from "@tanstack/react-query";
import { api } from "./api.ts";

export function App() {
  const health = useQuery({
    queryKey: ["health"],
    queryFn: async () => (await api.health.$get()).json(),
  });
  return (
    <main>
      <h1>Veza</h1>
      <p role="status" aria-live="polite">
        {health.isPending
          ? "Connecting…"
          : health.data?.ok
            ? `API online (v${health.data.version})`
            : "API unavailable"}
      </p>
    </main>
  );
}
