import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "../components/Link.tsx";
import { navigate } from "../lib/router.ts";
import { useSession } from "../stores/session.ts";
import { chatApi, useChatKeys, useInvites, useRooms } from "./chat-queries.ts";

export function ChatHomePage() {
  const user = useSession((s) => s.user);
  const restored = useSession((s) => s.restored);
  if (!user) {
    return (
      <section className="py-10">
        <h1 className="text-2xl font-bold">Chat</h1>
        <p className="mt-2">{restored ? <Link href="/login">Sign in to chat.</Link> : "Loading…"}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="chat-title" className="py-8">
      <h1 id="chat-title" className="text-3xl font-bold">
        Chat
      </h1>
      <Invites />
      <CreateRoom />
      <RoomList />
    </section>
  );
}

function RoomList() {
  const rooms = useRooms();
  if (rooms.isPending) return <p className="mt-6">Loading rooms…</p>;
  if (rooms.isError) {
    return (
      <p role="alert" className="mt-6">
        {rooms.error.message}
      </p>
    );
  }
  if (rooms.data.items.length === 0) return <p className="mt-6 text-zinc-400">No rooms yet: create the first one.</p>;
  return (
    <>
      <h2 className="mt-8 mb-2 text-lg font-semibold">Rooms</h2>
      <ul className="divide-y divide-zinc-800" aria-label="Rooms">
        {rooms.data.items.map((room) => {
          const title = room.kind === "dm" ? (room.dmWith?.displayName ?? "Direct message") : room.name;
          return (
            <li key={room.id} className="flex items-center gap-3 py-3">
              <div className="min-w-0 flex-1">
                <Link href={`/chat/${room.id}`} className="font-semibold">
                  {title}
                </Link>
                <span className="ml-2 text-xs text-zinc-500">
                  {room.kind === "dm" ? "direct message" : room.kind === "private" ? "private" : ""}
                </span>
                {room.lastMessage && (
                  <p className="truncate text-sm text-zinc-400">{room.lastMessage.body || "(deleted)"}</p>
                )}
              </div>
              {room.unreadCount > 0 && (
                <span className="rounded-full bg-sky-600 px-2 py-0.5 text-xs font-semibold text-white">
                  {room.unreadCount}
                  <span className="sr-only"> unread</span>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

function CreateRoom() {
  const keys = useChatKeys();
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
    <form onSubmit={submit} className="mt-6 flex flex-wrap items-end gap-3" aria-label="Create a room">
      <label className="flex flex-col gap-1 text-sm">
        Room name
        <input className="input" value={name} maxLength={80} required onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Who can join
        <select className="input" value={kind} onChange={(e) => setKind(e.target.value as "public" | "private")}>
          <option value="public">Anyone</option>
          <option value="private">Invited people only</option>
        </select>
      </label>
      <button type="submit" className="btn-primary" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create room"}
      </button>
      {create.isError && <p role="alert">{create.error.message}</p>}
    </form>
  );
}

function Invites() {
  const keys = useChatKeys();
  const queryClient = useQueryClient();
  const invites = useInvites();
  const accept = useMutation({
    mutationFn: (roomId: string) => chatApi.acceptInvite(roomId),
    onSuccess: (room) => {
      void queryClient.invalidateQueries({ queryKey: keys.all });
      navigate(`/chat/${room.id}`);
    },
  });
  if (!invites.data || invites.data.items.length === 0) return null;
  return (
    <section aria-labelledby="invites-title" className="mt-6 rounded-md border border-zinc-800 p-4">
      <h2 id="invites-title" className="font-semibold">
        Invitations
      </h2>
      <ul>
        {invites.data.items.map((invite) => (
          <li key={invite.room.id} className="mt-2 flex items-center gap-3">
            <span className="flex-1">
              {invite.invitedBy.displayName} invited you to <strong>{invite.room.name}</strong>
            </span>
            <button type="button" className="btn" onClick={() => accept.mutate(invite.room.id)}>
              Join {invite.room.name}
            </button>
          </li>
        ))}
      </ul>
      {accept.isError && <p role="alert">{accept.error.message}</p>}
    </section>
  );
}
