import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, json } from "../../test/http.ts";
import {
  attributeNames,
  child,
  keyAuth,
  passwordAuth,
  rest,
  restJson,
  restXml,
  subsonicUser,
  tokenAuth,
} from "./fixtures.ts";

describe("the envelope", () => {
  it("answers XML by default, in the Subsonic namespace, with the OpenSubsonic fields", async () => {
    const user = await subsonicUser();
    const response = await rest("ping", tokenAuth(user));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/xml/);
    const text = await response.text();
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const root = await restXml("ping", tokenAuth(user));
    expect(root.localName).toBe("subsonic-response");
    expect(root.namespaceURI).toBe("http://subsonic.org/restapi");
    expect(root.getAttribute("status")).toBe("ok");
    expect(root.getAttribute("version")).toBe("1.16.1");
    expect(root.getAttribute("type")).toBe("veza");
    expect(root.getAttribute("serverVersion")).toBe(env.APP_VERSION);
    expect(root.getAttribute("openSubsonic")).toBe("true");
  });

  it("answers JSON with f=json and JSONP with a callback", async () => {
    const user = await subsonicUser();
    const body = await restJson("ping", keyAuth(user));
    expect(body).toEqual({
      status: "ok",
      version: "1.16.1",
      type: "veza",
      serverVersion: env.APP_VERSION,
      openSubsonic: true,
    });
    const jsonp = await rest("ping", keyAuth(user), { f: "jsonp", callback: "handle.response" });
    expect(jsonp.headers.get("content-type")).toMatch(/^application\/javascript/);
    expect(await jsonp.text()).toMatch(/^handle\.response\(\{"subsonic-response":\{"status":"ok"/);
    const unsafe = await rest("ping", keyAuth(user), { f: "jsonp", callback: "alert(1)//" });
    expect(unsafe.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("serves both /rest/name and /rest/name.view, and form POSTs", async () => {
    const user = await subsonicUser();
    const plain = await call("GET", `/rest/ping?f=json&apiKey=${encodeURIComponent(user.apiKey)}`);
    expect((await json(plain))["subsonic-response"].status).toBe("ok");
    const form = new URLSearchParams({ f: "json", v: "1.16.1", c: "t", ...tokenAuth(user) });
    const posted = await call("POST", "/rest/getMusicFolders.view", {
      rawBody: form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const body = (await json(posted))["subsonic-response"];
    expect(body.status).toBe("ok");
    expect(body.musicFolders.musicFolder).toEqual([{ id: 1, name: "Veza" }]);
  });

  it("lists its OpenSubsonic extensions without credentials", async () => {
    const response = await call("GET", "/rest/getOpenSubsonicExtensions.view?f=json");
    const body = (await json(response))["subsonic-response"];
    expect(body.status).toBe("ok");
    const names = body.openSubsonicExtensions.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(["apiKeyAuthentication", "formPost", "songLyrics"]));
    const xml = await restXml("getOpenSubsonicExtensions", {});
    const extension = child(xml, "openSubsonicExtensions");
    expect(extension.getAttribute("name")).toBeTruthy();
    expect(child(extension, "versions").textContent).toBe("1");
  });

  it("answers an unknown method with an error in the envelope", async () => {
    const user = await subsonicUser();
    const response = await rest("noSuchMethod", keyAuth(user), { f: "json" });
    expect(response.status).toBe(404);
    expect((await json(response))["subsonic-response"]).toMatchObject({ status: "failed", error: { code: 70 } });
  });

  it("renders an error as <error code message> with HTTP 200", async () => {
    const user = await subsonicUser();
    const response = await rest("getAlbum", keyAuth(user));
    expect(response.status).toBe(200);
    const root = await restXml("getAlbum", keyAuth(user));
    expect(root.getAttribute("status")).toBe("failed");
    const error = child(root, "error");
    expect(error.getAttribute("code")).toBe("10");
    expect(attributeNames(error)).toEqual(expect.arrayContaining(["code", "message"]));
  });
});

describe("authentication", () => {
  it("accepts an API key, a token made from an app password, and the app password itself (plain or enc:)", async () => {
    const user = await subsonicUser();
    expect((await restJson("ping", keyAuth(user))).status).toBe("ok");
    expect((await restJson("ping", tokenAuth(user))).status).toBe("ok");
    expect(
      (await restJson("ping", { ...tokenAuth(user), t: tokenAuth(user, "abc").t!.toUpperCase(), s: "abc" })).status,
    ).toBe("ok");
    expect((await restJson("ping", passwordAuth(user))).status).toBe("ok");
    const hex = [...new TextEncoder().encode(user.appPassword)].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect((await restJson("ping", { u: user.username, p: `enc:${hex}` })).status).toBe("ok");
    expect((await restJson("ping", { u: user.username.toUpperCase(), p: user.appPassword })).status).toBe("ok");
  });

  it("never accepts the account password (40), by password or by token", async () => {
    const user = await subsonicUser();
    expect((await restJson("ping", { u: user.username, p: user.password })).error.code).toBe(40);
    const viaToken = await restJson("ping", tokenAuth({ ...user, appPassword: user.password }));
    expect(viaToken.error.code).toBe(40);
    expect(viaToken.error.helpUrl).toMatch(/\/settings\/apps$/);
  });

  it("gives each failure its code: 10 missing, 41 token without app password, 42 unsupported, 43 conflicting, 44 bad key", async () => {
    const user = await subsonicUser();
    expect((await restJson("ping", {})).error.code).toBe(10);
    expect((await restJson("ping", { u: user.username })).error.code).toBe(10);
    expect((await restJson("ping", { u: user.username, t: "00" })).error.code).toBe(10);
    const bare = await subsonicUser();
    await call(
      "DELETE",
      `/api/v1/me/app-passwords/${(await json(await call("GET", "/api/v1/me/app-passwords", { token: bare.token }))).items[0].id}`,
      { token: bare.token },
    );
    expect((await restJson("ping", tokenAuth(bare))).error.code).toBe(41);
    expect((await restJson("ping", { u: user.username, jwt: "x.y.z" })).error.code).toBe(42);
    expect((await restJson("ping", { ...keyAuth(user), u: user.username })).error.code).toBe(43);
    expect((await restJson("ping", { ...tokenAuth(user), p: user.appPassword })).error.code).toBe(43);
    expect((await restJson("ping", { apiKey: "vz_not-a-key" })).error.code).toBe(44);
  });

  it("stops accepting a revoked app password or key at once", async () => {
    const user = await subsonicUser();
    const [password] = (await json(await call("GET", "/api/v1/me/app-passwords", { token: user.token }))).items;
    const [key] = (await json(await call("GET", "/api/v1/me/api-keys", { token: user.token }))).items;
    await call("DELETE", `/api/v1/me/app-passwords/${password.id}`, { token: user.token });
    await call("DELETE", `/api/v1/me/api-keys/${key.id}`, { token: user.token });
    expect((await restJson("ping", passwordAuth(user))).error.code).toBe(40);
    expect((await restJson("ping", keyAuth(user))).error.code).toBe(44);
  });

  it("refuses a disabled account's credentials", async () => {
    const user = await subsonicUser();
    await env.DB.prepare("UPDATE users SET status = 'disabled' WHERE id = ?1").bind(user.id).run();
    expect((await restJson("ping", tokenAuth(user))).error.code).toBe(40);
    expect((await restJson("ping", keyAuth(user))).error.code).toBe(44);
  });

  it("records when a credential was last used", async () => {
    const user = await subsonicUser();
    await restJson("ping", tokenAuth(user));
    await restJson("ping", keyAuth(user));
    const passwords = await json(await call("GET", "/api/v1/me/app-passwords", { token: user.token }));
    const keys = await json(await call("GET", "/api/v1/me/api-keys", { token: user.token }));
    expect(passwords.items[0].lastUsedAt).toEqual(expect.any(String));
    expect(keys.items[0].lastUsedAt).toEqual(expect.any(String));
  });

  it("rate limits failed sign-ins per account like the API's login (429 with Retry-After)", async () => {
    const user = await subsonicUser();
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) {
      last = await rest("ping", { u: user.username, p: `wrong-${i}` }, { f: "json" });
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await json(last!))["subsonic-response"]).toMatchObject({ status: "failed", error: { code: 0 } });
    // The right app password still works: keys are unguessable, and a lockout would let anyone block a listener.
    expect((await restJson("ping", passwordAuth(user))).status).toBe("ok");
  });
});
