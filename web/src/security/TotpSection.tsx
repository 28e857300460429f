import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useT } from "../i18n/i18n.ts";
import { PasswordPrompt } from "./PasswordPrompt.tsx";
import { QrCode } from "./QrCode.tsx";
import { RecoveryCodes } from "./RecoveryCodes.tsx";
import {
  confirmTotp,
  disableTotp,
  fetchMfaStatus,
  regenerateRecoveryCodes,
  securityKeys,
  startTotpSetup,
} from "./security-api.ts";

type Prompt = "turn-off" | "new-codes" | null;

/** Two-step sign-in with an authenticator app: set up (QR code, confirm with a code), recovery codes, turn off. */
export function TotpSection({ username }: { username: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const ids = { heading: useId(), code: useId(), key: useId() };
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [prompt, setPrompt] = useState<Prompt>(null);
  const status = useQuery({ queryKey: securityKeys.status, queryFn: fetchMfaStatus });
  const refresh = () => queryClient.invalidateQueries({ queryKey: securityKeys.status });

  const start = useMutation({ mutationFn: startTotpSetup, onSuccess: setSetup });
  const confirm = useMutation({
    mutationFn: confirmTotp,
    onSuccess: ({ recoveryCodes }) => {
      setSetup(null);
      setCodes(recoveryCodes);
      refresh();
    },
  });
  const turnOff = useMutation({
    mutationFn: disableTotp,
    onSuccess: () => {
      setPrompt(null);
      refresh();
    },
  });
  const newCodes = useMutation({
    mutationFn: regenerateRecoveryCodes,
    onSuccess: ({ recoveryCodes }) => {
      setPrompt(null);
      setCodes(recoveryCodes);
      refresh();
    },
  });

  function submitCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").replace(/\s/g, "");
    if (code) confirm.mutate(code);
  }

  const on = status.data?.totp === "on";
  return (
    <section aria-labelledby={ids.heading} className="flex flex-col gap-3">
      <h2 id={ids.heading} className="text-xl font-semibold">
        {t("security.totp.title")}
      </h2>
      <p className="text-sm text-muted">{t("security.totp.intro")}</p>
      {status.isPending ? (
        <p aria-live="polite">{t("app.loading")}</p>
      ) : status.error ? (
        <p role="alert" className="text-danger">
          {status.error.message}
        </p>
      ) : (
        <p role="status">
          {on ? t("security.totp.on") : t("security.totp.off")}
          {on && ` ${t("security.recovery.left", { count: status.data.recoveryCodesLeft })}`}
        </p>
      )}

      {codes && <RecoveryCodes codes={codes} username={username} onDone={() => setCodes(null)} />}

      {!on && !setup && status.data && (
        <div>
          <button type="button" className="btn-primary" disabled={start.isPending} onClick={() => start.mutate()}>
            {start.isPending ? t("security.totp.starting") : t("security.totp.setUp")}
          </button>
        </div>
      )}
      {start.error && (
        <p role="alert" className="text-danger">
          {start.error.message}
        </p>
      )}

      {setup && (
        <div className="flex flex-col gap-3 rounded border border-line p-3">
          <p>{t("security.totp.scan")}</p>
          <QrCode text={setup.otpauthUrl} label={t("security.totp.qrLabel")} />
          <label htmlFor={ids.key} className="flex flex-col gap-1">
            {t("security.totp.key")}
            <input
              id={ids.key}
              readOnly
              value={setup.secret.replace(/(.{4})/g, "$1 ").trim()}
              onFocus={(event) => event.currentTarget.select()}
              className="input font-mono"
            />
          </label>
          <form onSubmit={submitCode} className="flex flex-wrap items-end gap-3">
            <label htmlFor={ids.code} className="flex flex-col gap-1">
              {t("security.totp.code")}
              <input
                id={ids.code}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]{6,7}"
                maxLength={7}
                required
                className="input w-40 font-mono"
              />
            </label>
            <button type="submit" className="btn-primary" disabled={confirm.isPending}>
              {confirm.isPending ? t("security.totp.confirming") : t("security.totp.confirm")}
            </button>
            <button type="button" className="btn" onClick={() => setSetup(null)}>
              {t("security.password.cancel")}
            </button>
          </form>
          {confirm.error && (
            <p role="alert" className="text-danger">
              {confirm.error.message}
            </p>
          )}
        </div>
      )}

      {on && !prompt && (
        <div className="flex flex-wrap gap-3">
          <button type="button" className="btn" onClick={() => setPrompt("new-codes")}>
            {t("security.recovery.regenerate")}
          </button>
          <button type="button" className="btn" onClick={() => setPrompt("turn-off")}>
            {t("security.totp.turnOff")}
          </button>
        </div>
      )}
      {prompt && (
        <PasswordPrompt
          explain={prompt === "turn-off" ? t("security.password.explainOff") : t("security.password.explainCodes")}
          busy={turnOff.isPending || newCodes.isPending}
          error={(prompt === "turn-off" ? turnOff.error : newCodes.error)?.message ?? null}
          onConfirm={(password) => (prompt === "turn-off" ? turnOff.mutate(password) : newCodes.mutate(password))}
          onCancel={() => {
            setPrompt(null);
            turnOff.reset();
            newCodes.reset();
          }}
        />
      )}
    </section>
  );
}
