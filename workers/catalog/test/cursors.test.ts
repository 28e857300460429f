import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { createTrack, uniqueWord } from "./fixtures.ts";

/** A cursor as the server encodes one (base64url JSON), from raw JSON text so `1e999` can be sent. */
const cursorOf = (jsonText: string) => btoa(jsonText).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

describe("cursors", () => {
  it("answer 400 for a fractional search offset and for ±Infinity keys, on every list", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner);
    const listPaths = [
      "/api/v1/tracks",
      "/api/v1/discover/recent",
      "/api/v1/discover/trending",
      "/api/v1/playlists",
      "/api/v1/albums",
      `/api/v1/tracks/${track.id}/comments`,
      `/api/v1/users/${owner.username}/followers`,
      "/api/v1/search?q=a&type=tracks",
      "/api/v1/search?q=a&type=users",
    ];
    const bad = [
      '{"k":1e999,"id":"zzz"}',
      '{"k":-1e999,"id":"zzz"}',
      '{"k":0.5,"id":"zzz"}',
      '{"k":0.5,"id":"offset"}',
      '{"k":1e-7,"id":"offset"}',
      '{"k":1e999,"id":"offset"}',
      '{"k":5,"id":""}',
      '{"k":null,"id":"x"}',
      "[1,2]",
      "not json",
    ];
    for (const path of listPaths) {
      for (const raw of bad) {
        const separator = path.includes("?") ? "&" : "?";
        const response = await call("GET", `${path}${separator}cursor=${cursorOf(raw)}`);
        expect(response.status, `${path} ${raw}`).toBe(400);
        expectErrorEnvelope(await json(response), "invalid_cursor");
      }
    }
    // Cursors the server issues still work.
    const word = uniqueWord("c");
    await createTrack(owner, { title: word });
    await createTrack(owner, { title: word });
    const first = await json(await call("GET", `/api/v1/search?q=${word}&type=tracks&limit=1`));
    const second = await call("GET", `/api/v1/search?q=${word}&type=tracks&limit=1&cursor=${first.nextCursor}`);
    expect(second.status).toBe(200);
    expect((await json(second)).items).toHaveLength(1);
  });
});
