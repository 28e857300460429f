import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useT } from "../i18n/i18n.ts";

/** The one loading view and the one error view every page uses. */

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div role="status" className="flex items-center gap-3 py-10 text-muted">
      <span className="size-5 animate-spin rounded-full border-2 border-line border-t-accent" aria-hidden="true" />
      {label ?? t("app.loading")}
    </div>
  );
}

export function ErrorView({ error, retry }: { error: unknown; retry?: () => void }) {
  const t = useT();
  const message = error instanceof Error && error.message ? error.message : t("app.error");
  return (
    <div role="alert" className="flex flex-col items-start gap-3 py-10">
      <p className="text-danger">{message}</p>
      {retry && (
        <button type="button" className="btn" onClick={retry}>
          {t("app.retry")}
        </button>
      )}
    </div>
  );
}

/** Renders a query's data, or the loading or error view while it has none. */
export function QueryView<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorView error={query.error} retry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
