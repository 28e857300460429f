import { useMutation } from "@tanstack/react-query";
import { navigate } from "../lib/router.ts";
import { chatApi } from "./chat-queries.ts";

/** "Message" on a profile: opens (or creates) the one DM room with that user. */
export function DmButton({ username, displayName }: { username: string; displayName: string }) {
  const open = useMutation({
    mutationFn: () => chatApi.openDm(username),
    onSuccess: (room) => navigate(`/chat/${room.id}`),
  });
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => open.mutate()}
        disabled={open.isPending}
        aria-label={`Send a message to ${displayName}`}
      >
        Message
      </button>
      {open.isError && <span role="alert">{open.error.message}</span>}
    </>
  );
}
