import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { usePlayer } from "../stores/player.ts";
import { track, withQueryClient } from "../test/fixtures.tsx";
import { TrackList } from "./TrackList.tsx";

afterEach(() => {
  cleanup();
  act(() => usePlayer.getState().reset());
});

describe("TrackList", () => {
  it("plays a track with the rest of the list queued; its Play becomes Pause", () => {
    const tracks = [track("a"), track("b"), track("c")];
    render(withQueryClient(<TrackList tracks={tracks} label="New tracks" />));
    fireEvent.click(screen.getByRole("button", { name: "Play Song b by Ada" }));
    expect(usePlayer.getState().current?.id).toBe("b");
    expect(usePlayer.getState().queue.map((t) => t.id)).toEqual(["c"]);
    const pause = screen.getByRole("button", { name: "Pause Song b by Ada" });
    fireEvent.click(pause);
    expect(usePlayer.getState().playing).toBe(false);
    expect(screen.getByRole("button", { name: "Play Song b by Ada" })).toBeTruthy();
  });

  it("cannot play a track that is still processing, and says so", () => {
    render(withQueryClient(<TrackList tracks={[track("p", { status: "processing" })]} label="Mine" />));
    const button = screen.getByRole("button", { name: "Play Song p by Ada" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByText(/processing/)).toBeTruthy();
  });

  it("queues a row from its menu: play next goes first, add to queue goes last", () => {
    usePlayer.getState().play(track("x"), [track("x"), track("y")]);
    render(withQueryClient(<TrackList tracks={[track("m"), track("n")]} label="More" />));
    fireEvent.click(screen.getByRole("button", { name: "More actions for Song m" }));
    fireEvent.click(screen.getByRole("menuitem", { name: "Play next" }));
    fireEvent.click(screen.getByRole("button", { name: "More actions for Song n" }));
    fireEvent.click(screen.getByRole("menuitem", { name: "Add to queue" }));
    expect(usePlayer.getState().queue.map((t) => t.id)).toEqual(["m", "y", "n"]);
    expect(usePlayer.getState().current?.id).toBe("x");
  });
});
