import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, errorMessage } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { type MessageKey, useT } from "../i18n/i18n.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

type Credential = { id: string; name: string; createdAt: string; lastUsedAt: string | null };
type Kind = "app-passwords" | "api-keys";

/** Transport for one kind of credential; both kinds share the same routes and shapes. */
const endpoints = {
  "app-passwords": {
    list: () => api.me["app-passwords"].$get(),
    create: (name: string) => api.me["app-passwords"].$post({ json: { name } }),
    revoke: (id: string) => api.me["app-passwords"][":id"].$delete({ param: { id } }),
    secretOf: (body: unknown) => (body as { password: string }).password,
  },
  "api-keys": {
    list: () => api.me["api-keys"].$get(),
    create: (name: string) => api.me["api-keys"].$post({ json: { name } }),
    revoke: (id: string) => api.me["api-keys"][":id"].$delete({ param: { id } }),
    secretOf: (body: unknown) => (body as { key: string }).key,
  },
} as const;

/** App passwords and API keys for Subsonic apps: create (the secret is shown once), list, revoke. */
export function ConnectedAppsPage() {
  const t = useT();
  const user = useSession((s) => s.user);
  if (!user) {
    return (
      <section className="py-6">
        <PageTitle>{t("apps.title")}</PageTitle>
        <p>
          <Link href="/login">{t("nav.signIn")}</Link> {t("apps.signIn")}
        </p>
      </section>
    );
  }
  return (
    <section className="flex max-w-2xl flex-col gap-4 py-6">
      <PageTitle>{t("apps.title")}</PageTitle>
      <p className="text-muted">{t("apps.intro", { server: window.location.origin, username: user.username })}</p>
      <CredentialSection
        kind="app-passwords"
        title="apps.passwords"
        secret="apps.secret.password"
        help="apps.passwords.help"
      />
      <CredentialSection kind="api-keys" title="apps.keys" secret="apps.secret.key" help="apps.keys.help" />
    </section>
  );
}

function CredentialSection(props: { kind: Kind; title: MessageKey; secret: MessageKey; help: MessageKey }) {
  const t = useT();
  const endpoint = endpoints[props.kind];
  const title = t(props.title);
  const secretWord = t(props.secret);
  const queryClient = useQueryClient();
  const ids = { heading: useId(), name: useId() };
  const [fresh, setFresh] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const queryKey = ["me", "credentials", props.kind];

  const list = useQuery({
    queryKey,
    queryFn: async () => {
      const response = await endpoint.list();
      if (!response.ok) throw new Error(await errorMessage(response));
      return ((await response.json()) as { items: Credential[] }).items;
    },
  });
  const create = useMutation({
    mutationFn: async (name: string) => {
      const response = await endpoint.create(name);
      if (!response.ok) throw new Error(await errorMessage(response));
      return { name, secret: endpoint.secretOf(await response.json()) };
    },
    onSuccess: (created) => {
      setFresh(created);
      setCopied(false);
      queryClient.invalidateQueries({ queryKey });
    },
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => {
      const response = await endpoint.revoke(id);
      if (!response.ok && response.status !== 404) throw new Error(await errorMessage(response));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "").trim();
    if (!name) return;
    create.mutate(name, { onSuccess: () => form.reset() });
  }

  async function copy(secret: string) {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <section aria-labelledby={ids.heading} className="mb-6">
      <h2 id={ids.heading} className="mb-1 text-xl font-semibold">
        {title}
      </h2>
      <p className="mb-3 text-sm text-muted">{t(props.help)}</p>
      <form onSubmit={submit} className="mb-4 flex items-end gap-3">
        <label htmlFor={ids.name} className="flex flex-1 flex-col gap-1">
          {t("apps.name")}
          <input id={ids.name} name="name" required maxLength={60} className="input" />
        </label>
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? t("apps.creating") : t("apps.create")}
        </button>
      </form>
      {create.error && (
        <p role="alert" className="mb-3 text-danger">
          {create.error.message}
        </p>
      )}
      {fresh && (
        <div role="status" className="mb-4 rounded border border-accent p-3">
          <p className="mb-2">{t("apps.fresh", { secret: secretWord, name: fresh.name })}</p>
          <div className="flex flex-wrap items-center gap-3">
            <input
              readOnly
              value={fresh.secret}
              aria-label={t("apps.freshLabel", { secret: secretWord })}
              onFocus={(event) => event.currentTarget.select()}
              className="input flex-1 font-mono"
            />
            <button type="button" className="btn" onClick={() => copy(fresh.secret)}>
              {copied ? t("apps.copied") : t("apps.copy")}
            </button>
            <button type="button" className="btn" onClick={() => setFresh(null)}>
              {t("apps.done")}
            </button>
          </div>
        </div>
      )}
      {list.isPending ? (
        <p aria-live="polite">{t("apps.loading")}</p>
      ) : list.error ? (
        <p role="alert" className="text-danger">
          {list.error.message}
        </p>
      ) : list.data.length === 0 ? (
        <p className="text-muted">{t("apps.none")}</p>
      ) : (
        <ul aria-label={title} className="flex flex-col">
          {list.data.map((item) => (
            <li key={item.id} className="flex min-h-11 items-center gap-3 py-2">
              <span className="flex-1">
                {item.name}
                <span className="block text-sm text-muted">
                  {t("apps.created", { date: new Date(item.createdAt).toLocaleDateString() })},{" "}
                  {item.lastUsedAt
                    ? t("apps.lastUsed", { date: new Date(item.lastUsedAt).toLocaleString() })
                    : t("apps.neverUsed")}
                </span>
              </span>
              <button
                type="button"
                className="btn"
                aria-label={t("apps.revokeLabel", { name: item.name })}
                disabled={revoke.isPending && revoke.variables === item.id}
                onClick={() => revoke.mutate(item.id)}
              >
                {t("apps.revoke")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {revoke.error && (
        <p role="alert" className="mt-2 text-danger">
          {revoke.error.message}
        </p>
      )}
    </section>
  );
}
