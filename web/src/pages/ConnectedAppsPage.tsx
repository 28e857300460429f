import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, errorMessage } from "../api.ts";
import { Link } from "../components/Link.tsx";
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

export function ConnectedAppsPage() {
  const user = useSession((s) => s.user);
  if (!user) {
    return (
      <p className="py-10">
        <Link href="/login">Sign in</Link> to connect music apps.
      </p>
    );
  }
  const server = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <section aria-labelledby="apps-title" className="mx-auto max-w-2xl py-8">
      <h1 id="apps-title" className="mb-2 text-2xl font-bold">
        Connected apps
      </h1>
      <p className="mb-6 text-zinc-400">
        Music apps that speak Subsonic (DSub, Symfonium, Substreamer, Feishin, Amperfy…) connect with server{" "}
        <code className="text-zinc-200">{server}</code>, your username{" "}
        <code className="text-zinc-200">{user.username}</code> and an app password — never your account password. Newer
        apps can use an API key instead.
      </p>
      <CredentialSection
        kind="app-passwords"
        title="App passwords"
        secretLabel="password"
        help="One per app, so you can revoke one without signing out the others."
      />
      <CredentialSection
        kind="api-keys"
        title="API keys"
        secretLabel="key"
        help="For apps that support OpenSubsonic API keys."
      />
    </section>
  );
}

function CredentialSection(props: { kind: Kind; title: string; secretLabel: string; help: string }) {
  const { kind, title, secretLabel, help } = props;
  const endpoint = endpoints[kind];
  const queryClient = useQueryClient();
  const ids = { heading: useId(), name: useId() };
  const [fresh, setFresh] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);

  const list = useQuery({
    queryKey: ["credentials", kind],
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
      queryClient.invalidateQueries({ queryKey: ["credentials", kind] });
    },
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => {
      const response = await endpoint.revoke(id);
      if (!response.ok && response.status !== 404) throw new Error(await errorMessage(response));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["credentials", kind] }),
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
    <section aria-labelledby={ids.heading} className="mb-10">
      <h2 id={ids.heading} className="mb-1 text-xl font-semibold">
        {title}
      </h2>
      <p className="mb-3 text-sm text-zinc-400">{help}</p>
      <form onSubmit={submit} className="mb-4 flex items-end gap-3">
        <label htmlFor={ids.name} className="flex flex-1 flex-col gap-1">
          Name (which app or device)
          <input id={ids.name} name="name" required maxLength={60} className="input" />
        </label>
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create"}
        </button>
      </form>
      {create.error && (
        <p role="alert" className="mb-3 text-red-400">
          {create.error.message}
        </p>
      )}
      {fresh && (
        <div role="status" className="mb-4 rounded border border-sky-700 bg-sky-950 p-3">
          <p className="mb-2">
            The {secretLabel} for <strong>{fresh.name}</strong>. Copy it now: it will not be shown again.
          </p>
          <div className="flex items-center gap-3">
            <input
              readOnly
              value={fresh.secret}
              aria-label={`New ${secretLabel}`}
              onFocus={(event) => event.currentTarget.select()}
              className="input flex-1 font-mono"
            />
            <button type="button" className="btn" onClick={() => copy(fresh.secret)}>
              {copied ? "Copied" : "Copy"}
            </button>
            <button type="button" className="btn" onClick={() => setFresh(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      {list.isPending ? (
        <p aria-live="polite">Loading…</p>
      ) : list.error ? (
        <p role="alert" className="text-red-400">
          {list.error.message}
        </p>
      ) : list.data.length === 0 ? (
        <p className="text-zinc-400">None yet.</p>
      ) : (
        <ul aria-label={title} className="divide-y divide-zinc-800">
          {list.data.map((item) => (
            <li key={item.id} className="flex items-center gap-3 py-2">
              <span className="flex-1">
                {item.name}
                <span className="block text-sm text-zinc-400">
                  created {new Date(item.createdAt).toLocaleDateString()}
                  {item.lastUsedAt ? `, last used ${new Date(item.lastUsedAt).toLocaleString()}` : ", never used"}
                </span>
              </span>
              <button
                type="button"
                className="btn"
                aria-label={`Revoke ${item.name}`}
                disabled={revoke.isPending && revoke.variables === item.id}
                onClick={() => revoke.mutate(item.id)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {revoke.error && (
        <p role="alert" className="mt-2 text-red-400">
          {revoke.error.message}
        </p>
      )}
    </section>
  );
}
