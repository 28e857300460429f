import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId } from "react";
import { api, unwrap } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";
import { useDevOutboxAvailable } from "./dev-outbox.ts";
import { ResendVerificationButton } from "./ResendVerificationButton.tsx";

/** Settings → Email: the address and whether it is verified, a new verification link, a change of address. */
export function EmailSettingsPage() {
  const t = useT();
  const user = useSession((s) => s.user);
  if (!user) {
    return (
      <section className="py-6">
        <PageTitle>{t("email.settings.title")}</PageTitle>
        <p>
          <Link href="/login">{t("nav.signIn")}</Link> {t("email.settings.signIn")}
        </p>
      </section>
    );
  }
  return (
    <section className="flex max-w-lg flex-col gap-6 py-6">
      <PageTitle>{t("email.settings.title")}</PageTitle>
      <section aria-labelledby="email-current" className="flex flex-col gap-2">
        <h2 id="email-current" className="text-lg font-semibold">
          {t("email.settings.current")}
        </h2>
        <p>
          <span className="font-medium">{user.email}</span>{" "}
          <span className={user.emailVerified ? "text-muted" : "text-danger"}>
            {user.emailVerified ? t("email.settings.verified") : t("email.settings.unverified")}
          </span>
        </p>
        {!user.emailVerified && <ResendVerificationButton email={user.email} />}
      </section>
      <ChangeEmailForm />
      <p className="text-sm">
        <Link href="/forgot-password">{t("reset.forgotTitle")}</Link>
      </p>
    </section>
  );
}

function ChangeEmailForm() {
  const t = useT();
  const ids = { email: useId(), password: useId(), error: useId() };
  const outbox = useDevOutboxAvailable();
  const change = useMutation({
    mutationFn: (body: { email: string; password: string }) => unwrap(api.me.email.$post({ json: body })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") });
  }

  return (
    <section aria-labelledby="email-change" className="flex flex-col gap-3">
      <h2 id="email-change" className="text-lg font-semibold">
        {t("email.change.title")}
      </h2>
      <p className="text-muted">{t("email.change.intro")}</p>
      <form onSubmit={submit} className="flex flex-col gap-4" aria-describedby={change.isError ? ids.error : undefined}>
        <label htmlFor={ids.email} className="flex flex-col gap-1">
          {t("email.change.newAddress")}
          <input id={ids.email} name="email" type="email" autoComplete="email" required className="input" />
        </label>
        <label htmlFor={ids.password} className="flex flex-col gap-1">
          {t("email.change.password")}
          <input
            id={ids.password}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="input"
          />
        </label>
        {change.isError && (
          <p id={ids.error} role="alert" className="text-danger">
            {change.error.message}
          </p>
        )}
        <button type="submit" disabled={change.isPending} className="btn-primary self-start">
          {change.isPending ? t("auth.wait") : t("email.change.submit")}
        </button>
      </form>
      <div role="status">{change.isSuccess && <p>{t("email.change.sent", { email: change.variables.email })}</p>}</div>
      {change.isSuccess && outbox && (
        <p className="text-sm">
          <Link href={`/dev/outbox?to=${encodeURIComponent(change.variables.email)}`}>{t("outbox.link")}</Link>
        </p>
      )}
    </section>
  );
}
