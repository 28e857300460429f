import { runInDurableObject, SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { pruneAdmittedTickets } from "../ticket-admission.ts";
import { publishToUser } from "../user-events.ts";

async function connect(ticket: string) {
  return SELF.fetch(`https://veza.test/api/v1/me/events?ticket=${encodeURIComponent(ticket)}`, {
    headers: { upgrade: "websocket" },
  });
}

async function ticketFor(token: string): Promise<string> {
  const response = await call("POST", "/api/v1/me/events/ticket", { token });
  expect(response.status).toBe(200);
  return (await json(response)).ticket;
}

describe("the user's live channel", () => {
  it("delivers published events to the user's open socket", async () => {
    const user = await registerUser();
    const response = await connect(await ticketFor(user.token));
    expect(response.status).toBe(101);
    const socket = response.webSocket as WebSocket;
    socket.accept();
    const received = new Promise<any>((resolve) =>
      socket.addEventListener("message", (event) => resolve(JSON.parse(String(event.data)))),
    );
    await publishToUser(env, user.id, { type: "track.status", trackId: "t1", status: "ready" });
    expect(await received).toEqual({ type: "track.status", trackId: "t1", status: "ready" });
    socket.close();
  });

  it("admits a ticket once, and refuses a forged one or none", async () => {
    const user = await registerUser();
    const ticket = await ticketFor(user.token);
    const first = await connect(ticket);
    expect(first.status).toBe(101);
    first.webSocket?.accept();
    first.webSocket?.close();
    const again = await connect(ticket);
    expect(again.status).toBe(401);
    const [body, signature] = ticket.split(".");
    const forged = await connect(`${body}.${signature?.slice(0, -2)}xx`);
    expect(forged.status).toBe(401);
    expectErrorEnvelope(await json(forged), "unauthenticated");
    expect((await connect("")).status).toBe(401);
  });

  it("needs a signed-in user for a ticket and a WebSocket for the channel", async () => {
    expect((await call("POST", "/api/v1/me/events/ticket")).status).toBe(401);
    const user = await registerUser();
    const plain = await call("GET", `/api/v1/me/events?ticket=${await ticketFor(user.token)}`);
    expect(plain.status).toBe(426);
  });

  it("remembers an admitted ticket until it expires, then forgets it", async () => {
    const user = await registerUser();
    const response = await connect(await ticketFor(user.token));
    expect(response.status).toBe(101);
    response.webSocket?.accept();
    response.webSocket?.close();
    const stub = env.USER_EVENTS.get(env.USER_EVENTS.idFromName(user.id));
    await runInDurableObject(stub, async (_object, state) => {
      expect((await state.storage.list({ prefix: "ticket:" })).size).toBe(1);
      expect(await state.storage.getAlarm()).not.toBeNull();
      await pruneAdmittedTickets(state.storage, Date.now() + 5_000);
      expect((await state.storage.list({ prefix: "ticket:" })).size).toBe(1);
      await pruneAdmittedTickets(state.storage, Date.now() + 60_000);
      expect((await state.storage.list({ prefix: "ticket:" })).size).toBe(0);
    });
  });
});
