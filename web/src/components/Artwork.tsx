/** A cover or avatar, or a placeholder generated from the name (a colour from its hash, initials). */

const HUES = 12;

export function placeholderFor(seed: string): { hue: number; initials: string } {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  const words = seed.trim().split(/\s+/).filter(Boolean);
  const initials = words
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase() ?? "")
    .join("");
  return { hue: (hash % HUES) * (360 / HUES), initials: initials || "♪" };
}

const HUE_CLASSES = [
  "bg-rose-700",
  "bg-orange-700",
  "bg-amber-700",
  "bg-lime-700",
  "bg-green-700",
  "bg-emerald-700",
  "bg-teal-700",
  "bg-cyan-700",
  "bg-sky-700",
  "bg-indigo-700",
  "bg-violet-700",
  "bg-fuchsia-700",
];

export function Artwork({
  src,
  name,
  className = "size-12",
  round = false,
  alt = "",
}: {
  src: string | null | undefined;
  name: string;
  className?: string;
  round?: boolean;
  /** Decorative (empty) unless the image is the point, e.g. a preview of a chosen file. */
  alt?: string;
}) {
  const shape = round ? "rounded-full" : "rounded-md";
  if (src) {
    return <img src={src} alt={alt} loading="lazy" decoding="async" className={`${className} ${shape} object-cover`} />;
  }
  const { hue, initials } = placeholderFor(name);
  return (
    <span
      aria-hidden="true"
      className={`${className} ${shape} ${HUE_CLASSES[hue / (360 / HUES)]} inline-flex shrink-0 items-center justify-center font-bold text-white select-none`}
    >
      {initials}
    </span>
  );
}
