import { describe, expect, it } from "vitest";
import { playableTrack, subsonicUser } from "../../subsonic/test/fixtures.ts";
import { call, json, registerUser } from "../../test/http.ts";
import { createTrack } from "./fixtures.ts";

describe("track loudness", () => {
  it("track responses carry the measured loudness and gain, null until processed", async () => {
    const owner = await subsonicUser();
    const measured = await playableTrack(owner);
    const unprocessed = await createTrack(owner);
    const viewer = await registerUser();

    const one = await json(await call("GET", `/api/v1/tracks/${measured.id}`, { token: viewer.token }));
    expect(one).toMatchObject({ id: measured.id, loudnessLufs: -12.5, gainDb: -1.5 });
    const fresh = await json(await call("GET", `/api/v1/tracks/${unprocessed.id}`, { token: viewer.token }));
    expect(fresh).toMatchObject({ loudnessLufs: null, gainDb: null });

    const list = await json(await call("GET", `/api/v1/tracks?owner=${owner.username}`, { token: viewer.token }));
    const byId = new Map(list.items.map((t: { id: string }) => [t.id, t]));
    expect(byId.get(measured.id)).toMatchObject({ loudnessLufs: -12.5, gainDb: -1.5 });
    expect(byId.get(unprocessed.id)).toMatchObject({ loudnessLufs: null, gainDb: null });

    const edited = await call("PATCH", `/api/v1/tracks/${measured.id}`, {
      token: owner.token,
      body: { title: "Renamed" },
    });
    expect(await json(edited)).toMatchObject({ title: "Renamed", loudnessLufs: -12.5, gainDb: -1.5 });
  });
});
