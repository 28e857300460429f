import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { type ChatMessage, MAX_BODY_CHARS } from "../../../workers/chat/protocol.ts";
import { useT } from "../i18n/i18n.ts";
import { room } from "./room-store.ts";

type Props = {
  replyTo: ChatMessage | null;
  editing: ChatMessage | null;
  onDone: () => void;
  disabled: boolean;
};

/** The message box: Enter sends, Shift+Enter starts a new line, Escape cancels a reply or an edit. */
export function Composer({ replyTo, editing, onDone, disabled }: Props) {
  const t = useT();
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (editing) setText(editing.body);
    if (editing || replyTo) input.current?.focus();
  }, [editing, replyTo]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if (!body) return;
    if (editing) room.edit(editing.id, body);
    else room.send(body, replyTo?.id);
    setText("");
    onDone();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      submit();
    } else if (event.key === "Escape" && (replyTo || editing)) {
      setText("");
      onDone();
    }
  };

  return (
    <form onSubmit={submit} className="border-t border-line pt-2">
      {(replyTo || editing) && (
        <p className="mb-1 flex items-center gap-2 text-sm text-muted">
          <span className="flex-1 truncate">
            {editing
              ? t("chat.editing")
              : t("chat.replyingTo", { name: replyTo?.displayName ?? "", body: replyTo?.body.slice(0, 80) ?? "" })}
          </span>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setText("");
              onDone();
            }}
          >
            {t("chat.cancel")}
          </button>
        </p>
      )}
      <div className="flex gap-2">
        <label htmlFor="chat-input" className="sr-only">
          {t("chat.message")}
        </label>
        <textarea
          id="chat-input"
          ref={input}
          className="input min-h-10 flex-1 resize-y"
          rows={1}
          value={text}
          maxLength={MAX_BODY_CHARS}
          disabled={disabled}
          placeholder={t("chat.placeholder")}
          onChange={(event) => {
            setText(event.target.value);
            room.typing();
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="btn-primary" disabled={disabled || !text.trim()}>
          {editing ? t("chat.save") : t("chat.send")}
        </button>
      </div>
    </form>
  );
}
