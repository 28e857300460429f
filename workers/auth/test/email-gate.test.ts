import { describe, expect, it } from "vitest";
import { createTrack } from "../../catalog/test/fixtures.ts";
import { clientId, connect, createRoom } from "../../chat/test/fixtures.ts";
import { call, expectErrorEnvelope, json, registerUser, type TestUser } from "../../test/http.ts";
import { linkToken, mailTo } from "../../test/mail.ts";

const startUpload = (user: TestUser) =>
  call("POST", "/api/v1/uploads", {
    token: user.token,
    body: { filename: "song.wav", size: 4096, contentType: "audio/wav" },
  });

async function expectUnverified(response: Response) {
  expect(response.status).toBe(403);
  const body = await json(response);
  expectErrorEnvelope(body, "email_unverified");
  expect(body.error.message).toMatch(/Confirm your email address first.*you can listen/);
}

async function verifyByMail(user: TestUser) {
  const [mail] = await mailTo(user.email);
  const response = await call("POST", "/api/v1/auth/verify-email", { body: { token: linkToken(mail!) } });
  expect(response.status).toBe(204);
}

describe("an unverified account", () => {
  it("can listen: open tracks, report plays, like", async () => {
    const artist = await registerUser();
    const listener = await registerUser({ verified: false });
    const track = await createTrack(artist);
    expect((await call("GET", `/api/v1/tracks/${track.id}`, { token: listener.token })).status).toBe(200);
    const play = await call("POST", `/api/v1/tracks/${track.id}/plays`, {
      token: listener.token,
      body: { listenedMs: 60_000 },
    });
    expect(play.status).toBe(202);
    expect((await call("POST", `/api/v1/tracks/${track.id}/like`, { token: listener.token })).status).toBe(200);
  });

  it("cannot upload or comment until the link is opened (403 email_unverified), then can", async () => {
    const artist = await registerUser();
    const user = await registerUser({ verified: false });
    const track = await createTrack(artist);
    const comment = () =>
      call("POST", `/api/v1/tracks/${track.id}/comments`, { token: user.token, body: { body: "Great intro" } });

    await expectUnverified(await startUpload(user));
    await expectUnverified(await comment());

    await verifyByMail(user);
    // The same access token: the check reads the account, not a claim baked into the token.
    expect((await startUpload(user)).status).toBe(201);
    expect((await comment()).status).toBe(201);
  });

  it("can read a chat room but not post in it or open one; once verified it can", async () => {
    const owner = await registerUser();
    const user = await registerUser({ verified: false });
    const room = await createRoom(owner);
    await expectUnverified(
      await call("POST", "/api/v1/rooms", { token: user.token, body: { name: "Mine", kind: "public" } }),
    );

    const reader = await connect(user, room.id);
    const id = clientId();
    reader.send({ type: "send", clientId: id, body: "hello?" });
    const refused = await reader.next("error", (f) => f.code === "email_unverified");
    expect(refused.message).toMatch(/Confirm your email address first/);
    expect(reader.frames.some((f) => f.type === "ack")).toBe(false);
    reader.close();

    await verifyByMail(user);
    const writer = await connect(user, room.id);
    const again = clientId();
    writer.send({ type: "send", clientId: again, body: "hello!" });
    const ack = await writer.next("ack", (f) => f.clientId === again);
    expect(ack.message.body).toBe("hello!");
    writer.close();
  });
});
