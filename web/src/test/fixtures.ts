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
