import { describe, expect, it } from "vitest";
import { ApiError, unwrap } from "./api.ts";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("unwrap", () => {
  it("returns the body of a success, nothing for a 204, and throws the envelope's message otherwise", async () => {
    expect(await unwrap(json(200, { id: "t1" }))).toEqual({ id: "t1" });
    expect(await unwrap(new Response(null, { status: 204 }))).toBeUndefined();
    const failure = await unwrap(json(404, { error: { code: "not_found", message: "No such track." } })).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ message: "No such track.", status: 404, code: "not_found" });
    const offline = await unwrap(Promise.reject(new TypeError("Failed to fetch"))).catch((e: unknown) => e);
    expect(offline).toMatchObject({ status: 0, code: "network" });
  });
});
