import { useEffect, useId, useRef, useState } from "react";
import { useT } from "../i18n/i18n.ts";

/** Recovery codes, shown once: copy them, download them as a text file, then say they are saved. */
export function RecoveryCodes({ codes, username, onDone }: { codes: string[]; username: string; onDone: () => void }) {
  const t = useT();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  const text = `${t("security.recovery.fileHeader", { username })}\n\n${codes.join("\n")}\n`;

  // Screen-reader and keyboard users land on the codes the moment they appear.
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "veza-recovery-codes.txt";
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3 rounded border border-accent p-3">
      <h3 id={headingId} ref={heading} tabIndex={-1} className="text-lg font-semibold">
        {t("security.recovery.title")}
      </h3>
      <p>{t("security.recovery.intro")}</p>
      <ol aria-label={t("security.recovery.title")} className="grid grid-cols-2 gap-x-6 gap-y-1 font-mono">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-3">
        <button type="button" className="btn" onClick={copy}>
          {copied ? t("security.recovery.copied") : t("security.recovery.copy")}
        </button>
        <button type="button" className="btn" onClick={download}>
          {t("security.recovery.download")}
        </button>
        <button type="button" className="btn-primary" onClick={onDone}>
          {t("security.recovery.saved")}
        </button>
      </div>
    </section>
  );
}
