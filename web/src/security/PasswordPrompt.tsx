import { type FormEvent, useEffect, useId, useRef } from "react";
import { useT } from "../i18n/i18n.ts";

/**
 * Asks again for the current password before a sensitive change (the server checks it). Focus
 * starts in the field; Cancel or Escape goes back.
 */
export function PasswordPrompt({
  explain,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  explain: string;
  busy: boolean;
  error: string | null;
  onConfirm: (password: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const ids = { field: useId(), explain: useId(), error: useId() };
  const field = useRef<HTMLInputElement>(null);
  // The prompt opens because the user asked for it (a button press): typing goes straight into it.
  useEffect(() => field.current?.focus(), []);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    if (password) onConfirm(password);
  }
  return (
    <form
      onSubmit={submit}
      onKeyDown={(event) => event.key === "Escape" && onCancel()}
      className="flex flex-col gap-3 rounded border border-line p-3"
      aria-describedby={error ? `${ids.explain} ${ids.error}` : ids.explain}
    >
      <p id={ids.explain}>{explain}</p>
      <label htmlFor={ids.field} className="flex flex-col gap-1">
        {t("security.password.label")}
        <input
          id={ids.field}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          ref={field}
          className="input"
        />
      </label>
      {error && (
        <p id={ids.error} role="alert" className="text-danger">
          {error}
        </p>
      )}
      <div className="flex gap-3">
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? t("auth.wait") : t("security.password.confirm")}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t("security.password.cancel")}
        </button>
      </div>
    </form>
  );
}
