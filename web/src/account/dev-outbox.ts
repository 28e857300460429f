import { useQuery } from "@tanstack/react-query";
import { api } from "../api.ts";

/**
 * Whether this server keeps mail in a development outbox (GET /api/v1/dev/outbox answers only in
 * development): the app links the outbox page only then. Asked once per visit, where a link could show.
 */
export function useDevOutboxAvailable(): boolean {
  const probe = useQuery({
    queryKey: ["dev", "outbox", "available"],
    queryFn: async () => (await api.dev.outbox.$get({ query: { to: "probe@localhost" } })).ok,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  return probe.data === true;
}
