import { useMutation } from "@tanstack/react-query";
import { useT } from "../i18n/i18n.ts";
import { navigate } from "../lib/router.ts";
import { chatApi } from "./chat-queries.ts";

/** "Message" on a profile: opens (or creates) the one DM room with that user. */
export function DmButton({ username, displayName }: { username: string; displayName: string }) {
  const t = useT();
  const open = useMutation({
    mutationFn: () => chatApi.openDm(username),
    onSuccess: (room) => navigate(`/chat/${room.id}`),
  });
  return (
    <>
      <button
        type="button"
        className="btn self-start"
        onClick={() => open.mutate()}
        disabled={open.isPending}
        aria-label={t("chat.dmButtonLabel", { name: displayName })}
      >
        {t("chat.dmButton")}
      </button>
      {open.isError && (
        <p role="alert" className="text-danger">
          {open.error.message}
        </p>
      )}
    </>
  );
}
