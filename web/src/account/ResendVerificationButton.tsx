import { useMutation } from "@tanstack/react-query";
import { api, unwrap } from "../api.ts";
import { useT } from "../i18n/i18n.ts";

/** "Send a new link": the answer (sent, or why not, e.g. the hourly limit) is announced politely. */
export function ResendVerificationButton({ email }: { email: string }) {
  const t = useT();
  const resend = useMutation({ mutationFn: () => unwrap(api.me["verify-email"].$post()) });
  return (
    <span className="inline-flex flex-wrap items-center gap-3">
      <button type="button" className="btn" disabled={resend.isPending} onClick={() => resend.mutate()}>
        {resend.isPending ? t("auth.wait") : t("email.resend")}
      </button>
      <span role="status" className={resend.isError ? "text-danger" : "text-muted"}>
        {resend.isSuccess && t("email.resent", { email })}
        {resend.isError && resend.error.message}
      </span>
    </span>
  );
}
