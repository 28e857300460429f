import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "../components/Link.tsx";
import { QueryView } from "../components/QueryView.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { navigate } from "../lib/router.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";
import { chatApi, useInvites, useRooms } from "./chat-queries.ts";

export function ChatHomePage() {
  const t = useT();
  const user = useSession((s) => s.user);
  return (
    <div className="flex flex-col gap-6 py-6">
      <PageTitle>{t("chat.title")}</PageTitle>
      {user ? (
        <>
          <Invites />
          <CreateRoom />
          <RoomList />
        </>
      ) : (
        <Link href="/login">{t("chat.signIn")}</Link>
      )}
    </div>
  );
}

function RoomList() {
  const t = useT();
  const rooms = useRooms();
  return (
    <section aria-labelledby="rooms-title">
      <h2 id="rooms-title" className="mb-2 text-lg font-semibold">
        {t("chat.rooms")}
      </h2>
      <QueryView query={rooms}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="text-muted">{t("chat.noRooms")}</p>
          ) : (
            <ul className="divide-y divide-line">
              {data.items.map((room) => (
                <li key={room.id} className="flex items-center gap-3 py-3">
                  <div className="min-w-0 flex-1">
                    <Link href={`/chat/${room.id}`} className="target-link font-semibold">
                      {room.kind === "dm"
                        ? t("chat.dmWith", { name: room.dmWith?.displayName ?? t("user.deleted") })
                        : room.name}
                    </Link>
                    {room.kind === "private" && <span className="ml-2 text-xs text-muted">{t("chat.private")}</span>}
                    {room.lastMessage && (
                      <p className="truncate text-sm text-muted">{room.lastMessage.body || t("chat.deletedPreview")}</p>
                    )}
                  </div>
                  {room.unreadCount > 0 && (
                    <span className="rounded-full bg-accent px-2 py-0.5 text-xs font-semibold text-accent-fg">
                      <span aria-hidden="true">{room.unreadCount}</span>
                      <span className="sr-only">{t("chat.unread", { count: room.unreadCount })}</span>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

function CreateRoom() {
  const t = useT();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"public" | "private">("public");
  const create = useMutation({
    mutationFn: () => chatApi.createRoom({ name, kind }),
    onSuccess: (room) => {
      void queryClient.invalidateQueries({ queryKey: keys.rooms() });
      navigate(`/chat/${room.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label={t("chat.create")}>
      <label className="flex flex-col gap-1 text-sm">
        {t("chat.roomName")}
        <input className="input" value={name} maxLength={80} required onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        {t("chat.whoCanJoin")}
        <select className="input" value={kind} onChange={(e) => setKind(e.target.value as "public" | "private")}>
          <option value="public">{t("chat.anyone")}</option>
          <option value="private">{t("chat.invitedOnly")}</option>
        </select>
      </label>
      <button type="submit" className="btn-primary" disabled={create.isPending}>
        {create.isPending ? t("chat.creating") : t("chat.createButton")}
      </button>
      {create.isError && (
        <p role="alert" className="text-danger">
          {create.error.message}
        </p>
      )}
    </form>
  );
}

function Invites() {
  const t = useT();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const invites = useInvites();
  const accept = useMutation({
    mutationFn: (roomId: string) => chatApi.acceptInvite(roomId),
    onSuccess: (room) => {
      void queryClient.invalidateQueries({ queryKey: keys.rooms() });
      void queryClient.invalidateQueries({ queryKey: keys.invites() });
      navigate(`/chat/${room.id}`);
    },
  });
  if (!invites.data || invites.data.items.length === 0) return null;
  return (
    <section aria-labelledby="invites-title" className="rounded-md border border-line p-4">
      <h2 id="invites-title" className="font-semibold">
        {t("chat.invites")}
      </h2>
      <ul>
        {invites.data.items.map((invite) => (
          <li key={invite.room.id} className="mt-2 flex flex-wrap items-center gap-3">
            <span className="flex-1">
              {t("chat.invitedYou", { name: invite.invitedBy.displayName, room: invite.room.name })}
            </span>
            <button type="button" className="btn" onClick={() => accept.mutate(invite.room.id)}>
              {t("chat.join", { room: invite.room.name })}
            </button>
          </li>
        ))}
      </ul>
      {accept.isError && (
        <p role="alert" className="text-danger">
          {accept.error.message}
        </p>
      )}
    </section>
  );
}
