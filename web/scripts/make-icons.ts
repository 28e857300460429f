// Draws the app icons (a play mark on the brand blue) and writes them as PNG (and favicon.ico)
// into web/public. Run: node web/scripts/make-icons.ts — the outputs are committed.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

const OUT = join(import.meta.dirname, "..", "public");
const BLUE = [3, 105, 161];
const WHITE = [255, 255, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const byte of buf) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA PNG of `size`×`size`; `pixel(x, y)` gives [r, g, b, a] with x, y in 0..1. */
function png(size: number, pixel: (x: number, y: number) => number[]): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      // 2×2 supersampling for smooth edges.
      const samples = [0.25, 0.75].flatMap((dy) => [0.25, 0.75].map((dx) => pixel((x + dx) / size, (y + dy) / size)));
      const at = y * (size * 4 + 1) + 1 + x * 4;
      for (let c = 0; c < 4; c++) raw[at + c] = Math.round(samples.reduce((s, p) => s + (p[c] ?? 0), 0) / 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A play triangle of height `h` centred (optically) at 0.5, 0.5. */
const inTriangle = (x: number, y: number, h: number) => {
  const left = 0.5 - h * 0.36;
  const right = left + h * 0.87;
  if (x < left || x > right) return false;
  const half = (h / 2) * (1 - (x - left) / (right - left));
  return Math.abs(y - 0.5) <= half;
};
const roundedSquare = (x: number, y: number, r: number) => {
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  return dx * dx + dy * dy <= r * r;
};

/** `maskable`: full-bleed background, the mark inside the 80 % safe zone. */
const icon = (maskable: boolean) => (x: number, y: number) => {
  if (!maskable && !roundedSquare(x, y, 0.22)) return [0, 0, 0, 0];
  return inTriangle(x, y, maskable ? 0.42 : 0.5) ? [...WHITE, 255] : [...BLUE, 255];
};

function ico(pngs: Buffer[], sizes: number[]): Buffer {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach((data, i) => {
    const at = 6 + 16 * i;
    header[at] = (sizes[i] as number) % 256;
    header[at + 1] = (sizes[i] as number) % 256;
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(data.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...pngs]);
}

writeFileSync(join(OUT, "icon-192.png"), png(192, icon(false)));
writeFileSync(join(OUT, "icon-512.png"), png(512, icon(false)));
writeFileSync(join(OUT, "icon-maskable-512.png"), png(512, icon(true)));
writeFileSync(join(OUT, "apple-touch-icon.png"), png(180, icon(true)));
writeFileSync(join(OUT, "favicon.ico"), ico([png(32, icon(false))], [32]));
