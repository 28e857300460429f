import { type FormEvent, useId, useState } from "react";
import type { ChatMessage, RoomRole } from "../../../workers/api-types.ts";
import { Sheet } from "../components/Sheet.tsx";
import { useT } from "../i18n/i18n.ts";
import { room } from "./room-store.ts";

/**
 * Deletes a message. The author, the room's owner and its moderators confirm; a site admin
 * deleting someone else's message in a room they do not moderate must give a reason (the room
 * refuses with `reason_required` otherwise; the reason goes to the audit log), asked in a dialog.
 */
export function DeleteMessage({ message, mine, myRole }: { message: ChatMessage; mine: boolean; myRole: RoomRole }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const needsReason = !mine && myRole === "admin";
  const start = () => {
    if (needsReason) setAsking(true);
    else if (window.confirm(t("chat.confirmDelete"))) room.remove(message.id);
  };
  return (
    <>
      <button type="button" className="btn btn-compact" onClick={start}>
        {t("chat.delete")}
      </button>
      {needsReason && (
        <Sheet open={asking} onClose={() => setAsking(false)} title={t("chat.deleteAsAdmin")}>
          <ReasonForm
            message={message}
            onDone={(reason) => {
              room.remove(message.id, reason);
              setAsking(false);
            }}
            onCancel={() => setAsking(false)}
          />
        </Sheet>
      )}
    </>
  );
}

function ReasonForm({
  message,
  onDone,
  onCancel,
}: {
  message: ChatMessage;
  onDone: (reason: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const id = useId();
  const [reason, setReason] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) onDone(reason.trim());
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3">
      <p className="text-sm text-muted">{t("chat.deleteAsAdminHelp", { name: message.displayName })}</p>
      <blockquote className="border-l-2 border-line pl-2 text-sm break-words">{message.body.slice(0, 200)}</blockquote>
      <label htmlFor={id} className="flex flex-col gap-1">
        {t("chat.deleteReason")}
        <textarea
          id={id}
          className="input"
          required
          maxLength={500}
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className="btn" onClick={onCancel}>
          {t("chat.cancel")}
        </button>
        <button type="submit" className="btn-primary" disabled={!reason.trim()}>
          {t("chat.deleteWithReason")}
        </button>
      </div>
    </form>
  );
}
