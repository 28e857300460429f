import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { TrackResponse } from "../../../workers/catalog/schemas.ts";
import { usePlayer } from "../stores/player.ts";
import { TrackList } from "./TrackList.tsx";

function track(id: string, overrides: Partial<TrackResponse> = {}): TrackResponse {
  return {
    id,
    title: `Song ${id}`,
    artist: "Ada",
    owner: { id: "u1", username: "ada", displayName: "Ada" },
    status: "ready",
    failureReason: null,
    durationMs: 185_000,
    visibility: "public",
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
  };
}

afterEach(() => {
  cleanup();
  act(() => usePlayer.setState({ current: null, queue: [], playing: false, position: 0, duration: 0 }));
});

describe("TrackList", () => {
  it("plays a track with the rest of the list queued, and marks it pressed", () => {
    const tracks = [track("a"), track("b"), track("c")];
    render(<TrackList tracks={tracks} label="New tracks" />);
    fireEvent.click(screen.getByRole("button", { name: "Play Song b by Ada" }));
    expect(usePlayer.getState().current?.id).toBe("b");
    expect(usePlayer.getState().queue.map((t) => t.id)).toEqual(["c"]);
    expect(screen.getByRole("button", { name: "Play Song b by Ada" }).getAttribute("aria-pressed")).toBe("true");
    expect(screen.getAllByText("3:05")).toHaveLength(3);
  });

  it("cannot play a track that is still processing, and says so", () => {
    render(<TrackList tracks={[track("p", { status: "processing" })]} label="Mine" />);
    const button = screen.getByRole("button", { name: "Play Song p by Ada" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByText(/processing/)).toBeTruthy();
  });

  it("moves to the queued track when one ends", () => {
    usePlayer.getState().play(track("x"), [track("x"), track("y")]);
    usePlayer.getState().setTime({ position: 42, duration: 185 });
    usePlayer.getState().next();
    expect(usePlayer.getState().current?.id).toBe("y");
    expect(usePlayer.getState().position).toBe(0);
    usePlayer.getState().next();
    expect(usePlayer.getState().playing).toBe(false);
  });
});
