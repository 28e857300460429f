import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api.ts";
import { useT } from "../i18n/i18n.ts";
import { formatBytes } from "../lib/format.ts";
import { useQueryKeys } from "../lib/query-keys.ts";

/**
 * How much of the upload quota the signed-in user uses. `revision` changes whenever an upload
 * starts or settles, so the figure follows the uploads on the page.
 */
export function StorageMeter({ revision }: { revision: string }) {
  const t = useT();
  const keys = useQueryKeys();
  const usage = useQuery({
    queryKey: [...keys.storage(), revision],
    queryFn: () => unwrap(api.me.storage.$get()),
    placeholderData: (previous) => previous,
  });
  if (!usage.data) return null;
  const { usedBytes, quotaBytes } = usage.data;
  const percent = Math.min(100, Math.round((usedBytes / Math.max(1, quotaBytes)) * 100));
  const label = t("upload.storage", { used: formatBytes(usedBytes), quota: formatBytes(quotaBytes), percent });
  return (
    <div className="flex flex-col gap-1 text-sm text-muted">
      <meter
        aria-label={t("upload.storageLabel")}
        aria-valuetext={label}
        min={0}
        max={quotaBytes}
        low={quotaBytes * 0.8}
        high={quotaBytes * 0.95}
        optimum={0}
        value={usedBytes}
        className="h-2 w-full"
      />
      <p>{label}</p>
    </div>
  );
}
