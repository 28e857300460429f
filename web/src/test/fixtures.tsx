import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { TrackResponse } from "../../../workers/api-types.ts";

export function track(id: string, overrides: Partial<TrackResponse> = {}): TrackResponse {
  return {
    id,
    title: `Song ${id}`,
    artist: "Ada",
    owner: { id: "u1", username: "ada", displayName: "Ada" },
    status: "ready",
    failureReason: null,
    durationMs: 185_000,
    visibility: "public",
    downloadable: false,
    genre: "",
    tags: [],
    description: "",
    coverUrl: null,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
    likeCount: 0,
    playCount: 0,
    commentCount: 0,
    ...overrides,
  } as TrackResponse;
}

/** Components that query need a QueryClient around them. */
export function withQueryClient(children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
