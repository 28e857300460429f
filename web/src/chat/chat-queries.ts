import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { useSession } from "../stores/session.ts";

export function useRooms() {
  const keys = useQueryKeys();
  const signedIn = useSession((s) => !!s.user);
  return useQuery({
    queryKey: keys.rooms(),
    enabled: signedIn,
    queryFn: () => unwrap(api.rooms.$get({ query: { limit: "100" } })),
    refetchInterval: 30_000,
  });
}

export function useRoomInfo(id: string) {
  const keys = useQueryKeys();
  return useQuery({ queryKey: keys.room(id), queryFn: () => unwrap(api.rooms[":id"].$get({ param: { id } })) });
}

export function useInvites() {
  const keys = useQueryKeys();
  const signedIn = useSession((s) => !!s.user);
  return useQuery({ queryKey: keys.invites(), enabled: signedIn, queryFn: () => unwrap(api.me.invites.$get()) });
}

/** The chat's REST calls (rooms, DMs, invitations, moderation, reports). */
export const chatApi = {
  createRoom: (json: { name: string; kind: "public" | "private"; topic?: string }) => unwrap(api.rooms.$post({ json })),
  openDm: (username: string) => unwrap(api.dms[":username"].$post({ param: { username } })),
  acceptInvite: (id: string) => unwrap(api.rooms[":id"].invites.accept.$post({ param: { id } })),
  invite: (id: string, username: string) =>
    unwrap(api.rooms[":id"].invites.$post({ param: { id }, json: { username } })),
  ban: (id: string, userId: string) => unwrap(api.rooms[":id"].bans.$post({ param: { id }, json: { userId } })),
  mute: (id: string, userId: string, minutes: number) =>
    unwrap(api.rooms[":id"].mutes.$post({ param: { id }, json: { userId, minutes } })),
  appoint: (id: string, userId: string) =>
    unwrap(api.rooms[":id"].moderators.$post({ param: { id }, json: { userId } })),
  kick: (id: string, userId: string) => unwrap(api.rooms[":id"].kicks.$post({ param: { id }, json: { userId } })),
  report: (id: string, messageId: string, reason: string) =>
    unwrap(api.rooms[":id"].messages[":messageId"].reports.$post({ param: { id, messageId }, json: { reason } })),
};
