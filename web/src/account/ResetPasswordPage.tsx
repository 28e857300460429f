import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, unwrap } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { useLocation } from "../lib/router.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

/** "Set a new password" from a mailed reset link (`/reset-password?token=`); it signs out everywhere. */
export function ResetPasswordPage() {
  const t = useT();
  const token = useLocation().search.get("token") ?? "";
  const ids = { password: useId(), repeat: useId(), error: useId() };
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation({
    mutationFn: (password: string) => unwrap(api.auth["password-reset"].confirm.$post({ json: { token, password } })),
    // Every session ended, this browser's too.
    onSuccess: () => useSession.getState().signedOut(),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const same = password === String(form.get("repeat") ?? "");
    setMismatch(!same);
    if (same) reset.mutate(password);
  }

  if (reset.isSuccess) {
    return (
      <section className="mx-auto flex max-w-sm flex-col gap-4 py-10">
        <PageTitle>{t("reset.newTitle")}</PageTitle>
        <p role="status">{t("reset.done")}</p>
        <p>
          <Link href="/login">{t("nav.signIn")}</Link>
        </p>
      </section>
    );
  }
  const error = mismatch ? t("reset.mismatch") : reset.isError ? reset.error.message : null;
  return (
    <section className="mx-auto flex max-w-sm flex-col gap-6 py-10">
      <PageTitle>{t("reset.newTitle")}</PageTitle>
      {!token ? (
        <p role="alert" className="text-danger">
          {t("reset.noToken")} <Link href="/forgot-password">{t("reset.askAgain")}</Link>
        </p>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-4" aria-describedby={error ? ids.error : undefined}>
          <p className="text-muted">{t("reset.newIntro")}</p>
          <label htmlFor={ids.password} className="flex flex-col gap-1">
            {t("reset.newPassword")}
            <input
              id={ids.password}
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              className="input"
            />
          </label>
          <label htmlFor={ids.repeat} className="flex flex-col gap-1">
            {t("reset.repeat")}
            <input
              id={ids.repeat}
              name="repeat"
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              className="input"
            />
          </label>
          {error && (
            <p id={ids.error} role="alert" className="text-danger">
              {error}{" "}
              {reset.error && "code" in reset.error && reset.error.code === "invalid_token" && (
                <Link href="/forgot-password">{t("reset.askAgain")}</Link>
              )}
            </p>
          )}
          <button type="submit" disabled={reset.isPending} className="btn-primary">
            {reset.isPending ? t("auth.wait") : t("reset.save")}
          </button>
        </form>
      )}
    </section>
  );
}
