import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n.ts";

/** One path of unit squares, one per dark module, with a 4-module quiet zone around the code. */
function modulesPath(size: number, get: (x: number, y: number) => boolean): string {
  let d = "";
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (get(x, y)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
  }
  return d;
}

/**
 * A QR code of `text` as an SVG. The encoder is loaded on first use, so it stays out of the
 * initial bundle; the label says what it is, since a screen reader cannot read the image.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const t = useT();
  const [code, setCode] = useState<{ size: number; path: string } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import("lean-qr")
      .then(({ generate }) => {
        const bitmap = generate(text);
        if (live) setCode({ size: bitmap.size, path: modulesPath(bitmap.size, (x, y) => bitmap.get(x, y)) });
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [text]);
  if (failed) return <p role="alert">{t("security.totp.qrFailed")}</p>;
  if (!code) return <p aria-live="polite">{t("security.totp.qrLoading")}</p>;
  const side = code.size + 8;
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${side} ${side}`}
      className="size-48 rounded bg-white"
      shapeRendering="crispEdges"
    >
      <path d={code.path} fill="#000" />
    </svg>
  );
}
