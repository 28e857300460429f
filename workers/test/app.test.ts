import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "./http.ts";

describe("the API shell", () => {
  it("GET /api/v1/health answers ok with the version", async () => {
    const response = await call("GET", "/api/v1/health");
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ ok: true, version: expect.any(String) });
  });

  it("answers an unknown API path with a 404 envelope", async () => {
    const response = await call("GET", "/api/v1/no-such-thing");
    expect(response.status).toBe(404);
    expectErrorEnvelope(await json(response), "not_found");
  });

  it("publishes an OpenAPI document generated from the route schemas", async () => {
    const response = await call("GET", "/api/v1/openapi.json");
    expect(response.status).toBe(200);
    const doc = await json(response);
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/health", "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/me"]),
    );
    expect(doc.paths["/api/v1/auth/register"].post.requestBody.content["application/json"].schema).toBeTruthy();
  });

  it("says in the OpenAPI document which routes need a token", async () => {
    const doc = await json(await call("GET", "/api/v1/openapi.json"));
    expect(doc.components.securitySchemes.Bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/api/v1/me"].get.security).toEqual([{ Bearer: [] }]);
    expect(doc.paths["/api/v1/me"].get.responses["401"]).toBeTruthy();
    expect(doc.paths["/api/v1/tracks/{id}"].get.security).toEqual([{}, { Bearer: [] }]);
    expect(doc.paths["/api/v1/admin/audit"].get.responses["403"]).toBeTruthy();
    expect(doc.paths["/api/v1/auth/login"].post.security).toBeUndefined();
  });

  it("lists every error code in the error schema", async () => {
    const doc = await json(await call("GET", "/api/v1/openapi.json"));
    const codes = doc.components.schemas.Error.properties.error.properties.code.enum;
    expect(codes).toEqual(expect.arrayContaining(["validation_failed", "not_found", "rate_limited", "internal_error"]));
  });

  it("refuses a JSON body that is not valid UTF-8 instead of storing replacement characters", async () => {
    const user = await registerUser();
    const invalid = new Uint8Array([
      ...new TextEncoder().encode('{"title":"'),
      0xff,
      0xfe,
      ...new TextEncoder().encode('"}'),
    ]);
    const response = await call("POST", "/api/v1/playlists", {
      token: user.token,
      rawBody: invalid,
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(400);
    expectErrorEnvelope(await json(response), "malformed_request");

    const mine = await json(await call("GET", `/api/v1/playlists?owner=${user.username}`, { token: user.token }));
    expect(mine.items).toEqual([]);
  });

  it("still reads a valid UTF-8 JSON body with multi-byte characters", async () => {
    const user = await registerUser();
    const response = await call("POST", "/api/v1/playlists", { token: user.token, body: { title: "Café ♫ 日本" } });
    expect(response.status).toBe(201);
    expect((await json(response)).title).toBe("Café ♫ 日本");
  });
});
