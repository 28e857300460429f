import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser, type TestUser } from "../../test/http.ts";
import type { NotificationEvent } from "../event.ts";
import { EVENT_KEY_TTL_MS, GROUP_WINDOW_MS, InboxStore, MAX_NOTIFICATIONS, READ_TTL_MS } from "../inbox/inbox-store.ts";
import { inboxOf, type NotificationInbox } from "../inbox/notification-inbox.ts";
import { inbox, liveChannel } from "./fixtures.ts";

const actor = (n: number) => ({ id: `actor-${n}`, username: `actor${n}`, displayName: `Actor ${n}` });

function likeOf(trackId: string, n: number, at?: number): NotificationEvent {
  return {
    type: "like",
    key: `like:${trackId}:${n}:${at ?? ""}`,
    group: `like:${trackId}`,
    actor: actor(n),
    subject: { track: { id: trackId, title: `Track ${trackId}` } },
    ...(at === undefined ? {} : { at }),
  };
}

const markRead = (user: TestUser, body: unknown) =>
  call("POST", "/api/v1/me/notifications/read", { token: user.token, body });

/** Runs `work` on the user's inbox store inside its object. */
function inStore<T>(user: { id: string }, work: (store: InboxStore) => T): Promise<T> {
  return runInDurableObject(inboxOf(env, user.id), (_object: NotificationInbox, state) =>
    work(new InboxStore(state.storage.sql)),
  );
}

describe("the notification inbox", () => {
  it("pages newest first with a keyset cursor, and refuses a bad cursor or limit", async () => {
    const user = await registerUser();
    const base = Date.now() - 60_000;
    // Five ungrouped notifications, two of them at the same millisecond.
    const times = [base, base + 1, base + 2, base + 2, base + 3];
    for (const [i, at] of times.entries()) {
      await inboxOf(env, user.id).add([user.id], { ...likeOf(`t${i}`, i, at), group: undefined });
    }
    const first = await inbox(user, "?limit=2");
    expect(first.items.map((n) => n.track?.id)).toHaveLength(2);
    expect(first.items[0]!.track?.id).toBe("t4");
    const second = await inbox(user, `?limit=2&cursor=${first.nextCursor}`);
    const third = await inbox(user, `?limit=2&cursor=${second.nextCursor}`);
    expect(third.nextCursor).toBeNull();
    const all = [...first.items, ...second.items, ...third.items];
    expect(new Set(all.map((n) => n.id)).size).toBe(5);
    expect(all.map((n) => n.createdAt)).toEqual([...all.map((n) => n.createdAt)].sort().reverse());
    expect(first.unreadCount).toBe(5);

    for (const query of ["?cursor=nonsense", "?limit=0", "?limit=101"]) {
      const response = await call("GET", `/api/v1/me/notifications${query}`, { token: user.token });
      expect(response.status).toBe(400);
      expectErrorEnvelope(await json(response));
    }
    expect((await call("GET", "/api/v1/me/notifications")).status).toBe(401);
  });

  it("marks chosen notifications read, then all, telling the user's other tabs", async () => {
    const user = await registerUser();
    for (let i = 0; i < 3; i++) await inboxOf(env, user.id).add([user.id], likeOf(`track-${i}`, i));
    const live = await liveChannel(user);
    const [newest, middle] = (await inbox(user)).items;

    const some = await markRead(user, { ids: [middle!.id, "no-such-id"] });
    expect(some.status).toBe(200);
    expect(await json(some)).toEqual({ ids: [middle!.id], unreadCount: 2 });
    expect(await live.next("notifications.read")).toEqual({
      type: "notifications.read",
      ids: [middle!.id],
      unreadCount: 2,
    });
    const after = await inbox(user);
    expect(after.unreadCount).toBe(2);
    expect(after.items.find((n) => n.id === middle!.id)?.readAt).not.toBeNull();
    expect(after.items.find((n) => n.id === newest!.id)?.readAt).toBeNull();
    // Marking it again changes nothing.
    expect(await json(await markRead(user, { ids: [middle!.id] }))).toEqual({ ids: [], unreadCount: 2 });

    const from = live.events.length;
    expect(await json(await markRead(user, {}))).toMatchObject({ unreadCount: 0 });
    expect(await live.next("notifications.read", from)).toEqual({
      type: "notifications.read",
      ids: null,
      unreadCount: 0,
    });
    const unread = await call("GET", "/api/v1/me/notifications/unread-count", { token: user.token });
    expect(await json(unread)).toEqual({ unreadCount: 0 });
    expect((await inbox(user)).items.every((n) => n.readAt !== null)).toBe(true);

    for (const body of [{ ids: [] }, { ids: "all" }, { ids: Array.from({ length: 101 }, (_, i) => `n${i}`) }]) {
      const response = await markRead(user, body);
      expect(response.status).toBe(400);
      expectErrorEnvelope(await json(response), "validation_failed");
    }
    live.close();
  });

  it("groups the same type and target while unread and recent; a read or old group starts a new one", async () => {
    const user = await registerUser();
    const now = Date.now();
    await inStore(user, (store) => {
      const first = store.add(user.id, likeOf("a", 1, now - 3000), now)!;
      expect(store.add(user.id, likeOf("a", 2, now - 2000), now)?.id).toBe(first.id);
      // The same person again: one more event, not one more person.
      const grown = store.add(user.id, { ...likeOf("a", 1, now - 1000), key: "again" }, now)!;
      expect(grown).toMatchObject({ id: first.id, actorCount: 2, count: 3 });
      expect(grown.actors.map((a) => a.id)).toEqual(["actor-1", "actor-2"]);
      // Another target is another notification.
      expect(store.add(user.id, likeOf("b", 3, now), now)?.id).not.toBe(first.id);
      // Once read, the group is closed: the next like starts a new notification.
      store.markRead(user.id, [first.id], now);
      const fresh = store.add(user.id, likeOf("a", 4, now), now)!;
      expect(fresh.id).not.toBe(first.id);
      // A group older than the window is closed too.
      const later = now + GROUP_WINDOW_MS + 1;
      expect(store.add(user.id, likeOf("a", 5, later), later)?.id).not.toBe(fresh.id);
      // A redelivered event (same key) adds nothing.
      expect(store.add(user.id, likeOf("a", 5, later), later)).toBeUndefined();
      expect(store.unreadCount(user.id)).toBe(3);
    });
  });

  it("keeps the latest three people, and the true count, in a big group", async () => {
    const user = await registerUser();
    for (let i = 1; i <= 13; i++) await inboxOf(env, user.id).add([user.id], likeOf("hit", i));
    const [group] = (await inbox(user)).items;
    expect(group).toMatchObject({ actorCount: 13, count: 13 });
    expect(group!.actors.map((a) => a.id)).toEqual(["actor-13", "actor-12", "actor-11"]);
  });

  it("expires read notifications and old event keys by alarm, keeps unread ones, and caps the inbox", async () => {
    const user = await registerUser();
    const stub = inboxOf(env, user.id);
    await stub.add([user.id], likeOf("old", 1));
    await stub.add([user.id], likeOf("kept", 2));
    const [, old] = (await inbox(user)).items;
    await stub.markRead(user.id, [old!.id]);
    expect(await runInDurableObject(stub, (_o, state) => state.storage.getAlarm())).not.toBeNull();

    // Still there the day after it was read.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await inbox(user)).items).toHaveLength(2);

    await inStore(user, (store) => {
      const later = Date.now() + Math.max(READ_TTL_MS, EVENT_KEY_TTL_MS) + 1;
      store.expire(later);
      // The read one is gone; the unread one stays, and its key was forgotten.
      expect(store.list(user.id, { limit: 10 }).items.map((n) => n.track?.id)).toEqual(["kept"]);
      expect(store.add(user.id, likeOf("kept", 2), later)).toBeDefined();
    });

    await inStore(user, (store) => {
      for (let i = 0; i < MAX_NOTIFICATIONS + 5; i++)
        store.add(user.id, { ...likeOf(`cap-${i}`, i), group: undefined }, Date.now());
      store.expire(Date.now());
      expect(store.list(user.id, { limit: 100 }).items).toHaveLength(100);
      expect(store.unreadCount(user.id)).toBe(MAX_NOTIFICATIONS);
    });
  });
});
