import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { useLocaleChoice } from "../i18n/i18n.ts";
import { usePlayer } from "../stores/player.ts";
import { TrackLoudness } from "./TrackLoudness.tsx";

afterEach(() => {
  cleanup();
  act(() => {
    usePlayer.getState().setNormalize(true);
    useLocaleChoice.getState().choose(null);
  });
});

describe("TrackLoudness", () => {
  it("shows the measured loudness and the gain, and what the player does with it", () => {
    const { rerender } = render(<TrackLoudness loudnessLufs={-8.74} gainDb={-5.26} />);
    expect(screen.getByTestId("loudness-lufs").textContent).toBe("-8.7 LUFS");
    expect(screen.getByTestId("loudness-gain").textContent).toBe("-5.3 dB · played 5.3 dB quieter");
    rerender(<TrackLoudness loudnessLufs={-20} gainDb={6} />);
    expect(screen.getByTestId("loudness-gain").textContent).toBe("+6 dB · played at its own level");
    act(() => usePlayer.getState().setNormalize(false));
    expect(screen.getByTestId("loudness-gain").textContent).toBe("+6 dB · normalisation is off");
  });

  it("formats numbers for the language, and shows nothing before the track is measured", () => {
    act(() => useLocaleChoice.getState().choose("fr"));
    const { container, rerender } = render(<TrackLoudness loudnessLufs={-8.74} gainDb={-5.26} />);
    expect(screen.getByTestId("loudness-lufs").textContent).toBe("-8,7 LUFS");
    rerender(<TrackLoudness loudnessLufs={null} gainDb={null} />);
    expect(container.textContent).toBe("");
  });
});
