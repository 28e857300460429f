import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId } from "react";
import { api, unwrap } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useDevOutboxAvailable } from "./dev-outbox.ts";

/** "Forgot your password?": asks for a reset link; the answer is the same whether or not the address is known. */
export function ForgotPasswordPage() {
  const t = useT();
  const ids = { email: useId(), error: useId() };
  const outbox = useDevOutboxAvailable();
  const request = useMutation({
    mutationFn: (email: string) => unwrap(api.auth["password-reset"].$post({ json: { email } })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate(String(new FormData(event.currentTarget).get("email") ?? ""));
  }

  return (
    <section className="mx-auto flex max-w-sm flex-col gap-6 py-10">
      <PageTitle>{t("reset.forgotTitle")}</PageTitle>
      <p className="text-muted">{t("reset.forgotIntro")}</p>
      <form
        onSubmit={submit}
        className="flex flex-col gap-4"
        aria-describedby={request.isError ? ids.error : undefined}
      >
        <label htmlFor={ids.email} className="flex flex-col gap-1">
          {t("auth.email")}
          <input id={ids.email} name="email" type="email" autoComplete="email" required className="input" />
        </label>
        {request.isError && (
          <p id={ids.error} role="alert" className="text-danger">
            {request.error.message}
          </p>
        )}
        <button type="submit" disabled={request.isPending} className="btn-primary">
          {request.isPending ? t("auth.wait") : t("reset.send")}
        </button>
      </form>
      <div role="status">{request.isSuccess && <p>{request.data.message}</p>}</div>
      {request.isSuccess && outbox && (
        <p className="text-sm">
          <Link href={`/dev/outbox?to=${encodeURIComponent(request.variables)}`}>{t("outbox.link")}</Link>
        </p>
      )}
      <p className="text-sm text-muted">
        <Link href="/login">{t("reset.backToSignIn")}</Link>
      </p>
    </section>
  );
}
