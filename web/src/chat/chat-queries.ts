import { useQuery } from "@tanstack/react-query";
import type { ClientResponse } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import { useMemo } from "react";
import { api, errorMessage } from "../api.ts";
import { useSession } from "../stores/session.ts";

/** Query keys of the chat screens, scoped by viewer so signing out never shows another user's rooms. */
export function chatKeys(viewer: string) {
  const scope = ["viewer", viewer, "chat"] as const;
  return {
    all: scope,
    rooms: () => [...scope, "rooms"] as const,
    room: (id: string) => [...scope, "room", id] as const,
    invites: () => [...scope, "invites"] as const,
  };
}

export function useChatKeys() {
  const viewer = useSession((s) => s.user?.id) ?? "anonymous";
  return useMemo(() => chatKeys(viewer), [viewer]);
}

/** The body of a successful response (typed from the route), or the error envelope's sentence thrown. */
type SuccessBody<R> =
  R extends ClientResponse<infer T, infer S, "json"> ? (S extends SuccessStatusCode ? T : never) : never;

async function ok<R extends ClientResponse<unknown, number, "json">>(response: R): Promise<SuccessBody<R>> {
  if (!response.ok) throw new Error(await errorMessage(response as unknown as Response));
  return (await response.json()) as SuccessBody<R>;
}

export function useRooms() {
  const keys = useChatKeys();
  const signedIn = useSession((s) => !!s.user);
  return useQuery({
    queryKey: keys.rooms(),
    enabled: signedIn,
    queryFn: async () => ok(await api.rooms.$get({ query: { limit: "100" } })),
    refetchInterval: 30_000,
  });
}

export function useRoomInfo(id: string) {
  const keys = useChatKeys();
  return useQuery({
    queryKey: keys.room(id),
    queryFn: async () => ok(await api.rooms[":id"].$get({ param: { id } })),
  });
}

export function useInvites() {
  const keys = useChatKeys();
  const signedIn = useSession((s) => !!s.user);
  return useQuery({
    queryKey: keys.invites(),
    enabled: signedIn,
    queryFn: async () => ok(await api.me.invites.$get()),
  });
}

export const chatApi = {
  createRoom: async (body: { name: string; kind: "public" | "private"; topic?: string }) =>
    ok(await api.rooms.$post({ json: body })),
  openDm: async (username: string) => ok(await api.dms[":username"].$post({ param: { username } })),
  acceptInvite: async (id: string) => ok(await api.rooms[":id"].invites.accept.$post({ param: { id } })),
  invite: async (id: string, username: string) =>
    ok(await api.rooms[":id"].invites.$post({ param: { id }, json: { username } })),
  ban: async (id: string, userId: string) => ok(await api.rooms[":id"].bans.$post({ param: { id }, json: { userId } })),
  mute: async (id: string, userId: string, minutes: number) =>
    ok(await api.rooms[":id"].mutes.$post({ param: { id }, json: { userId, minutes } })),
  kick: async (id: string, userId: string) =>
    ok(await api.rooms[":id"].kicks.$post({ param: { id }, json: { userId } })),
  report: async (id: string, messageId: string, reason: string) =>
    ok(
      await api.rooms[":id"].messages[":messageId"].reports.$post({
        param: { id, messageId },
        json: { reason },
      }),
    ),
};
