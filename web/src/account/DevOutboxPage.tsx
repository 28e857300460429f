import { useQuery } from "@tanstack/react-query";
import { type FormEvent, Fragment, useId } from "react";
import { api, unwrap } from "../api.ts";
import { QueryView } from "../components/QueryView.tsx";
import { useLocale, useT } from "../i18n/i18n.ts";
import { navigate, useLocation } from "../lib/router.ts";
import { PageTitle } from "../shell/PageTitle.tsx";

const LINK = /https?:\/\/[^\s]+/g;

/** Text with its URLs as links (the mailed verification and reset links open from here). */
function Linked({ text }: { text: string }) {
  const parts: { at: number; text: string; link: boolean }[] = [];
  let at = 0;
  for (const match of text.matchAll(LINK)) {
    if (match.index > at) parts.push({ at, text: text.slice(at, match.index), link: false });
    parts.push({ at: match.index, text: match[0], link: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ at, text: text.slice(at), link: false });
  return (
    <>
      {parts.map((part) =>
        part.link ? (
          <a key={part.at} href={part.text}>
            {part.text}
          </a>
        ) : (
          <Fragment key={part.at}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}

/** Development only: the mail this server kept instead of sending (the API answers 404 elsewhere). */
export function DevOutboxPage() {
  const t = useT();
  const locale = useLocale();
  const to = useLocation().search.get("to") ?? "";
  const ids = { to: useId() };
  const outbox = useQuery({
    queryKey: ["dev", "outbox", to],
    queryFn: () => unwrap(api.dev.outbox.$get({ query: to ? { to } : {} })),
    retry: false,
  });

  function filter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = String(new FormData(event.currentTarget).get("to") ?? "").trim();
    navigate(address ? `/dev/outbox?to=${encodeURIComponent(address)}` : "/dev/outbox");
  }

  return (
    <section className="flex max-w-3xl flex-col gap-4 py-6">
      <PageTitle>{t("outbox.title")}</PageTitle>
      <p className="text-muted">{t("outbox.intro")}</p>
      <form onSubmit={filter} className="flex flex-wrap items-end gap-3">
        <label htmlFor={ids.to} className="flex flex-1 flex-col gap-1">
          {t("outbox.to")}
          <input id={ids.to} name="to" type="email" defaultValue={to} key={to} className="input" />
        </label>
        <button type="submit" className="btn">
          {t("outbox.show")}
        </button>
      </form>
      <QueryView query={outbox}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{t("outbox.empty")}</p>
          ) : (
            <ol className="flex flex-col gap-4">
              {data.items.map((item) => (
                <li key={`${item.sentAt}-${item.to}-${item.subject}`} className="rounded-md border border-line p-4">
                  <article aria-label={item.subject}>
                    <h2 className="font-semibold">{item.subject}</h2>
                    <p className="text-sm text-muted">
                      {t("outbox.meta", {
                        to: item.to,
                        time: new Date(item.sentAt).toLocaleString(locale),
                      })}
                    </p>
                    <pre className="mt-2 whitespace-pre-wrap break-words font-sans">
                      <Linked text={item.text} />
                    </pre>
                    <details className="mt-2">
                      <summary>{t("outbox.html")}</summary>
                      <pre className="overflow-x-auto text-xs">{item.html}</pre>
                    </details>
                  </article>
                </li>
              ))}
            </ol>
          )
        }
      </QueryView>
    </section>
  );
}
