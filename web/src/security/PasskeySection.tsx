import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useT } from "../i18n/i18n.ts";
import { PasswordPrompt } from "./PasswordPrompt.tsx";
import { passkeyErrorMessage } from "./passkey-errors.ts";
import { addPasskey, fetchPasskeys, passkeysSupported, removePasskey, securityKeys } from "./security-api.ts";

type Pending = { kind: "add"; name: string } | { kind: "remove"; id: string; name: string } | null;

/** The account's passkeys: add one (password, then the device's own prompt), list them, remove one. */
export function PasskeySection() {
  const t = useT();
  const queryClient = useQueryClient();
  const ids = { heading: useId(), name: useId() };
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({ queryKey: securityKeys.passkeys, queryFn: fetchPasskeys });
  const refresh = () => {
    queryClient.invalidateQueries({ queryKey: securityKeys.passkeys });
    queryClient.invalidateQueries({ queryKey: securityKeys.status });
  };

  const add = useMutation({
    mutationFn: ({ name, password }: { name: string; password: string }) => addPasskey(name, password),
    onSuccess: (passkey) => {
      setPending(null);
      setNotice(t("security.passkeys.added", { name: passkey.name }));
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) => removePasskey(id, password),
    onSuccess: () => {
      setPending(null);
      refresh();
    },
  });

  function startAdding(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    if (name) {
      setNotice(null);
      add.reset();
      setPending({ kind: "add", name });
    }
  }

  const supported = passkeysSupported();
  const error = pending?.kind === "add" ? add.error : remove.error;
  return (
    <section aria-labelledby={ids.heading} className="flex flex-col gap-3">
      <h2 id={ids.heading} className="text-xl font-semibold">
        {t("security.passkeys.title")}
      </h2>
      <p className="text-sm text-muted">{t("security.passkeys.intro")}</p>
      {!supported && <p>{t("security.passkeys.unsupported")}</p>}
      {supported && !pending && (
        <form onSubmit={startAdding} className="flex items-end gap-3">
          <label htmlFor={ids.name} className="flex flex-1 flex-col gap-1">
            {t("security.passkeys.name")}
            <input id={ids.name} name="name" required maxLength={60} className="input" />
          </label>
          <button type="submit" className="btn-primary">
            {t("security.passkeys.add")}
          </button>
        </form>
      )}
      {pending && (
        <PasswordPrompt
          explain={
            pending.kind === "add"
              ? t("security.password.explainAddPasskey")
              : t("security.password.explainRemovePasskey", { name: pending.name })
          }
          busy={add.isPending || remove.isPending}
          error={error ? passkeyErrorMessage(error, t) : null}
          onConfirm={(password) =>
            pending.kind === "add"
              ? add.mutate({ name: pending.name, password })
              : remove.mutate({ id: pending.id, password })
          }
          onCancel={() => setPending(null)}
        />
      )}
      {add.isPending && <p aria-live="polite">{t("security.passkeys.adding")}</p>}
      {notice && <p role="status">{notice}</p>}
      {list.isPending ? (
        <p aria-live="polite">{t("app.loading")}</p>
      ) : list.error ? (
        <p role="alert" className="text-danger">
          {list.error.message}
        </p>
      ) : list.data.length === 0 ? (
        <p className="text-muted">{t("security.passkeys.none")}</p>
      ) : (
        <ul aria-label={t("security.passkeys.title")} className="flex flex-col">
          {list.data.map((passkey) => (
            <li key={passkey.id} className="flex min-h-11 items-center gap-3 py-2">
              <span className="flex-1">
                {passkey.name}
                {passkey.synced && <span className="ml-2 text-sm text-muted">({t("security.passkeys.synced")})</span>}
                <span className="block text-sm text-muted">
                  {t("security.passkeys.created", { date: new Date(passkey.createdAt).toLocaleDateString() })},{" "}
                  {passkey.lastUsedAt
                    ? t("security.passkeys.lastUsed", { date: new Date(passkey.lastUsedAt).toLocaleString() })
                    : t("security.passkeys.neverUsed")}
                </span>
              </span>
              <button
                type="button"
                className="btn"
                aria-label={t("security.passkeys.removeLabel", { name: passkey.name })}
                onClick={() => {
                  remove.reset();
                  setPending({ kind: "remove", id: passkey.id, name: passkey.name });
                }}
              >
                {t("security.passkeys.remove")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
