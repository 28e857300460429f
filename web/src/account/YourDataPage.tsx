import { type FormEvent, useId, useState } from "react";
import { api, errorMessage } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { useLocale, useT } from "../i18n/i18n.ts";
import { useLocation } from "../lib/router.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";
import { fetchExport, saveFile } from "./data-export.ts";

/** Settings → Your data: download everything about the account, or delete it (with a grace period). */
export function YourDataPage() {
  const t = useT();
  const user = useSession((s) => s.user);
  const restored = useSession((s) => s.restored);
  const cancelled = useLocation().search.get("cancelled");
  const [scheduledFor, setScheduledFor] = useState<string | null>(null);
  return (
    <section className="flex max-w-2xl flex-col gap-8 py-6">
      <PageTitle>{t("data.title")}</PageTitle>
      {cancelled && <DeletionCancelled wasScheduledFor={cancelled} />}
      {scheduledFor ? (
        <DeletionScheduled scheduledFor={scheduledFor} />
      ) : user ? (
        <>
          <ExportSection />
          <DeleteSection onScheduled={setScheduledFor} />
        </>
      ) : restored ? (
        <p>
          <Link href="/login">{t("nav.signIn")}</Link> {t("data.signIn")}
        </p>
      ) : null}
    </section>
  );
}

function useDate() {
  const locale = useLocale();
  return (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: "long", timeStyle: "short" });
}

function DeletionCancelled({ wasScheduledFor }: { wasScheduledFor: string }) {
  const t = useT();
  const date = useDate();
  return (
    <p role="status" className="rounded-md border border-accent/40 bg-accent/10 p-4">
      {t("data.delete.cancelled", { date: date(wasScheduledFor) })}
    </p>
  );
}

function DeletionScheduled({ scheduledFor }: { scheduledFor: string }) {
  const t = useT();
  const date = useDate();
  return (
    <div role="status" className="flex flex-col gap-2 rounded-md border border-danger/40 bg-danger/10 p-4">
      <h2 className="text-lg font-semibold">{t("data.delete.scheduledTitle")}</h2>
      <p>{t("data.delete.scheduled", { date: date(scheduledFor) })}</p>
      <p>{t("data.delete.howToCancel")}</p>
      <p>
        <Link href="/login">{t("nav.signIn")}</Link>
      </p>
    </div>
  );
}

function formatBytes(bytes: number, locale: string): string {
  const kib = bytes / 1024;
  return kib < 1024
    ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(kib)} KB`
    : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(kib / 1024)} MB`;
}

function ExportSection() {
  const t = useT();
  const locale = useLocale();
  const headingId = useId();
  const [state, setState] = useState<
    | { phase: "idle" }
    | { phase: "running"; bytes: number }
    | { phase: "done"; filename: string }
    | { phase: "error"; message: string }
  >({ phase: "idle" });

  async function download() {
    setState({ phase: "running", bytes: 0 });
    try {
      const file = await fetchExport((bytes) => setState({ phase: "running", bytes }));
      saveFile(file);
      setState({ phase: "done", filename: file.filename });
    } catch (error) {
      setState({ phase: "error", message: (error as Error).message });
    }
  }

  const running = state.phase === "running";
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <h2 id={headingId} className="text-xl font-semibold">
        {t("data.export.title")}
      </h2>
      <p className="text-muted">{t("data.export.intro")}</p>
      <button
        type="button"
        className="btn-primary self-start"
        onClick={download}
        disabled={running}
        aria-busy={running}
      >
        {running ? t("data.export.preparing") : t("data.export.button")}
      </button>
      {running && (
        <div className="flex flex-col gap-1">
          <progress className="w-full max-w-sm" aria-label={t("data.export.progressLabel")} />
          <span className="text-sm text-muted">
            {t("data.export.received", { size: formatBytes(state.bytes, locale) })}
          </span>
        </div>
      )}
      <p role="status" aria-live="polite" className="min-h-6">
        {state.phase === "done" && t("data.export.done", { filename: state.filename })}
      </p>
      {state.phase === "error" && (
        <p role="alert" className="text-danger">
          {state.message}
        </p>
      )}
    </section>
  );
}

function DeleteSection({ onScheduled }: { onScheduled: (date: string) => void }) {
  const t = useT();
  const ids = { heading: useId(), password: useId(), error: useId(), consequences: useId() };
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      const response = await api.me.$delete({ json: { password } });
      if (response.status !== 202) {
        setError(await errorMessage(response));
        return;
      }
      const { deletionScheduledFor } = (await response.json()) as { deletionScheduledFor: string };
      onScheduled(deletionScheduledFor);
      // Every session has ended, this one included.
      useSession.getState().signedOut();
    } catch {
      setError(t("app.networkError"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={ids.heading} className="flex flex-col gap-3">
      <h2 id={ids.heading} className="text-xl font-semibold">
        {t("data.delete.title")}
      </h2>
      <ul id={ids.consequences} className="list-disc ps-6 text-muted">
        <li>{t("data.delete.grace")}</li>
        <li>{t("data.delete.whatGoes")}</li>
        <li>{t("data.delete.whatStays")}</li>
        <li>{t("data.delete.username")}</li>
      </ul>
      {confirming ? (
        <form
          onSubmit={submit}
          className="flex max-w-sm flex-col gap-3"
          aria-describedby={error ? `${ids.consequences} ${ids.error}` : ids.consequences}
        >
          <label htmlFor={ids.password} className="flex flex-col gap-1">
            {t("data.delete.password")}
            <input
              id={ids.password}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              className="input"
              // The button that opened this form is gone: focus moves to the field it asked for.
              ref={(input) => input?.focus()}
            />
          </label>
          {error && (
            <p id={ids.error} role="alert" className="text-danger">
              {error}
            </p>
          )}
          <div className="flex flex-wrap gap-3">
            <button type="submit" className="btn border-danger text-danger" disabled={busy} aria-busy={busy}>
              {busy ? t("auth.wait") : t("data.delete.confirm")}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={busy}>
              {t("data.delete.keep")}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="btn self-start border-danger text-danger" onClick={() => setConfirming(true)}>
          {t("data.delete.start")}
        </button>
      )}
    </section>
  );
}
