// Fragmented MP4 (ISO BMFF) layout as written by ffmpeg with
// `-movflags +empty_moov+default_base_moof+delay_moov+skip_trailer -frag_duration …`:
//   ftyp, moov (no samples, mvex), then moof+mdat pairs.
// The file as served is: the rewritten ftyp+moov, a global sidx we build, then the moof+mdat pairs.
// We read the box structure to find each fragment's byte range and duration (for HLS byte-range
// playlists), and rewrite the moov so that it carries the total duration (mvhd/tkhd/mdhd/elst and
// an mvex/mehd box): without it a player opening the file progressively does not know how long the
// track is until it has read every fragment.

import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";

export type BoxHeader = { type: string; start: number; size: number; headerSize: number };

export type Fragment = {
  /** Byte offset of the moof box in the source file. */
  start: number;
  /** Bytes from the moof to the next moof (or the end of the media data). */
  size: number;
  /** Sum of the fragment's sample durations, in media timescale units. */
  duration: number;
  /** tfdt baseMediaDecodeTime, in media timescale units (null when absent). */
  baseMediaDecodeTime: number | null;
};

export type Fmp4Layout = {
  /** Everything before the first moof, with the moov rewritten: the HLS init section. */
  init: Buffer;
  fragments: Fragment[];
  /** File offset of the first moof; bytes [mediaStart, mediaEnd) follow `init` unchanged. */
  mediaStart: number;
  mediaEnd: number;
  timescale: number;
  /** Sum of all sample durations (media timescale), including encoder priming. */
  totalDuration: number;
  /** Encoder priming skipped by the edit list (media timescale). */
  primingDuration: number;
  /**
   * A global segment index (sidx) covering every fragment, served between the init section and the
   * media. Without it a progressive player (Chromium's demuxer) reads the whole file to find the
   * fragments before it starts or seeks; with it, it starts after the first few kilobytes.
   */
  index: Buffer;
  /** Size of the file as served: init.length + index.length + (mediaEnd - mediaStart). */
  outputSize: number;
};

const CONTAINERS = new Set(["moov", "trak", "mdia", "minf", "stbl", "mvex", "moof", "traf", "edts"]);

export function parseBoxHeader(buf: Buffer, offset: number, limit: number): BoxHeader | null {
  if (offset + 8 > limit) return null;
  let size = buf.readUInt32BE(offset);
  const type = buf.toString("latin1", offset + 4, offset + 8);
  let headerSize = 8;
  if (size === 1) {
    if (offset + 16 > limit) return null;
    size = Number(buf.readBigUInt64BE(offset + 8));
    headerSize = 16;
  } else if (size === 0) {
    size = limit - offset;
  }
  if (size < headerSize) throw new Error(`invalid ${type} box size ${size} at ${offset}`);
  return { type, start: offset, size, headerSize };
}

/** The child boxes of buf[start, end). */
export function childBoxes(buf: Buffer, start: number, end: number): BoxHeader[] {
  const boxes: BoxHeader[] = [];
  let offset = start;
  while (offset < end) {
    const box = parseBoxHeader(buf, offset, end);
    if (!box) break;
    if (box.start + box.size > end) throw new Error(`${box.type} box overruns its parent`);
    boxes.push(box);
    offset += box.size;
  }
  return boxes;
}

function findChild(buf: Buffer, parent: BoxHeader, type: string): BoxHeader | undefined {
  return childBoxes(buf, parent.start + parent.headerSize, parent.start + parent.size).find((box) => box.type === type);
}

function findPath(buf: Buffer, root: BoxHeader, path: string[]): BoxHeader | undefined {
  let current: BoxHeader | undefined = root;
  for (const type of path) {
    if (!current || !CONTAINERS.has(current.type)) return undefined;
    current = findChild(buf, current, type);
  }
  return current;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/** Top-level boxes of a file, read header by header (media data is never loaded). */
async function topLevelBoxes(handle: FileHandle, fileSize: number): Promise<BoxHeader[]> {
  const boxes: BoxHeader[] = [];
  let offset = 0;
  while (offset + 8 <= fileSize) {
    const head = await readAt(handle, offset, 16);
    const box = parseBoxHeader(head, 0, Math.min(16, fileSize - offset));
    if (!box) break;
    if (head.readUInt32BE(0) === 0) box.size = fileSize - offset;
    if (offset + box.size > fileSize) throw new Error(`${box.type} box at ${offset} is truncated`);
    boxes.push({ ...box, start: offset });
    offset += box.size;
  }
  return boxes;
}

type TrackDefaults = { trackId: number; defaultSampleDuration: number };

/** Sum of sample durations of one moof (a single track), and its tfdt. */
export function fragmentDuration(
  moof: Buffer,
  defaults: TrackDefaults[],
): { duration: number; baseMediaDecodeTime: number | null } {
  const root = parseBoxHeader(moof, 0, moof.length);
  if (!root || root.type !== "moof") throw new Error("not a moof box");
  let duration = 0;
  let baseMediaDecodeTime: number | null = null;
  for (const traf of childBoxes(moof, root.headerSize, root.size).filter((b) => b.type === "traf")) {
    const children = childBoxes(moof, traf.start + traf.headerSize, traf.start + traf.size);
    const tfhd = children.find((b) => b.type === "tfhd");
    if (!tfhd) throw new Error("traf without tfhd");
    let p = tfhd.start + tfhd.headerSize;
    const tfhdFlags = moof.readUInt32BE(p) & 0xffffff;
    const trackId = moof.readUInt32BE(p + 4);
    p += 8;
    if (tfhdFlags & 0x01) p += 8; // base_data_offset
    if (tfhdFlags & 0x02) p += 4; // sample_description_index
    let defaultDuration = defaults.find((d) => d.trackId === trackId)?.defaultSampleDuration ?? 0;
    if (tfhdFlags & 0x08) defaultDuration = moof.readUInt32BE(p);

    const tfdt = children.find((b) => b.type === "tfdt");
    if (tfdt) {
      const q = tfdt.start + tfdt.headerSize;
      const version = moof.readUInt8(q);
      baseMediaDecodeTime = version === 1 ? Number(moof.readBigUInt64BE(q + 4)) : moof.readUInt32BE(q + 4);
    }

    for (const trun of children.filter((b) => b.type === "trun")) {
      let r = trun.start + trun.headerSize;
      const flags = moof.readUInt32BE(r) & 0xffffff;
      const count = moof.readUInt32BE(r + 4);
      r += 8;
      if (flags & 0x001) r += 4; // data_offset
      if (flags & 0x004) r += 4; // first_sample_flags
      if (!(flags & 0x100)) {
        duration += count * defaultDuration;
        continue;
      }
      const stride = 4 * [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length;
      for (let i = 0; i < count; i++) duration += moof.readUInt32BE(r + i * stride);
    }
  }
  return { duration, baseMediaDecodeTime };
}

function writeU32OrU64(buf: Buffer, offset: number, version: number, value: number): void {
  if (version === 1) buf.writeBigUInt64BE(BigInt(value), offset);
  else buf.writeUInt32BE(Math.min(value, 0xffffffff), offset);
}

/**
 * A copy of a moov (single audio track) with the durations filled in:
 * mvhd, tkhd, elst segment and mvex/mehd get the presentation duration (movie timescale),
 * mdhd the media duration (media timescale).
 */
export function rewriteMoov(
  moov: Buffer,
  totalMediaDuration: number,
): {
  moov: Buffer;
  timescale: number;
  priming: number;
} {
  const root = parseBoxHeader(moov, 0, moov.length);
  if (!root || root.type !== "moov") throw new Error("not a moov box");
  const out = Buffer.from(moov);

  const mvhd = findChild(out, root, "mvhd");
  const traks = childBoxes(out, root.headerSize, root.size).filter((b) => b.type === "trak");
  if (!mvhd || traks.length !== 1) throw new Error("expected one track in the moov");
  const trak = traks[0] as BoxHeader;
  const mdhd = findPath(out, trak, ["mdia", "mdhd"]);
  const tkhd = findChild(out, trak, "tkhd");
  if (!mdhd || !tkhd) throw new Error("track without mdhd/tkhd");

  const mvhdVersion = out.readUInt8(mvhd.start + 8);
  const movieTimescale = out.readUInt32BE(mvhd.start + (mvhdVersion === 1 ? 28 : 20));
  const mdhdVersion = out.readUInt8(mdhd.start + 8);
  const timescale = out.readUInt32BE(mdhd.start + (mdhdVersion === 1 ? 28 : 20));
  if (!movieTimescale || !timescale) throw new Error("zero timescale");

  let priming = 0;
  const elst = findPath(out, trak, ["edts", "elst"]);
  if (elst) {
    const p = elst.start + elst.headerSize;
    const version = out.readUInt8(p);
    const count = out.readUInt32BE(p + 4);
    if (count >= 1) {
      const entry = p + 8;
      const mediaTime = version === 1 ? Number(out.readBigInt64BE(entry + 8)) : out.readInt32BE(entry + 4);
      if (mediaTime > 0) priming = mediaTime;
    }
  }
  const presentation = Math.max(0, totalMediaDuration - priming);
  const movieDuration = Math.round((presentation * movieTimescale) / timescale);

  writeU32OrU64(out, mvhd.start + (mvhdVersion === 1 ? 32 : 24), mvhdVersion, movieDuration);
  writeU32OrU64(out, mdhd.start + (mdhdVersion === 1 ? 32 : 24), mdhdVersion, totalMediaDuration);
  const tkhdVersion = out.readUInt8(tkhd.start + 8);
  writeU32OrU64(out, tkhd.start + (tkhdVersion === 1 ? 36 : 28), tkhdVersion, movieDuration);
  if (elst) {
    const p = elst.start + elst.headerSize;
    const version = out.readUInt8(p);
    if (out.readUInt32BE(p + 4) === 1) writeU32OrU64(out, p + 8, version, movieDuration);
  }

  // mvex/mehd: the whole fragmented movie's duration. Insert it (or update it) as mvex's first child.
  const mvex = findChild(out, root, "mvex");
  if (!mvex) return { moov: out, timescale, priming };
  const mehd = findChild(out, mvex, "mehd");
  if (mehd) {
    const version = out.readUInt8(mehd.start + 8);
    writeU32OrU64(out, mehd.start + 12, version, movieDuration);
    return { moov: out, timescale, priming };
  }
  const newMehd = Buffer.alloc(20);
  newMehd.writeUInt32BE(20, 0);
  newMehd.write("mehd", 4, "latin1");
  newMehd.writeUInt32BE(0x01000000, 8); // version 1, flags 0
  newMehd.writeBigUInt64BE(BigInt(movieDuration), 12);
  if (root.headerSize !== 8 || mvex.headerSize !== 8) throw new Error("large-size moov/mvex not supported");
  const insertAt = mvex.start + mvex.headerSize;
  const rebuilt = Buffer.concat([out.subarray(0, insertAt), newMehd, out.subarray(insertAt)]);
  rebuilt.writeUInt32BE(root.size + 20, 0);
  rebuilt.writeUInt32BE(mvex.size + 20, mvex.start);
  return { moov: rebuilt, timescale, priming };
}

/** Size of a version-1 sidx box with `count` references. */
export const sidxSize = (count: number) => 40 + 12 * count;

/**
 * A version-1 sidx box indexing `fragments` (which follow it directly, in order): one reference per
 * moof+mdat pair with its size and duration, each starting with a sync sample (AAC frames all are).
 */
export function sidxBox(trackId: number, timescale: number, fragments: Fragment[]): Buffer {
  if (fragments.length > 0xffff) throw new Error("too many fragments for one sidx");
  const box = Buffer.alloc(sidxSize(fragments.length));
  box.writeUInt32BE(box.length, 0);
  box.write("sidx", 4, "latin1");
  box.writeUInt32BE(0x01000000, 8); // version 1, flags 0
  box.writeUInt32BE(trackId, 12);
  box.writeUInt32BE(timescale, 16);
  box.writeBigUInt64BE(BigInt(fragments[0]?.baseMediaDecodeTime ?? 0), 20); // earliest presentation time
  box.writeBigUInt64BE(0n, 28); // first_offset: the first moof follows the sidx
  box.writeUInt16BE(0, 36);
  box.writeUInt16BE(fragments.length, 38);
  fragments.forEach((fragment, i) => {
    const at = 40 + 12 * i;
    if (fragment.size > 0x7fffffff) throw new Error("fragment too large for a sidx reference");
    box.writeUInt32BE(fragment.size, at); // reference_type 0 (media)
    box.writeUInt32BE(fragment.duration, at + 4);
    box.writeUInt32BE(0x90000000, at + 8); // starts_with_SAP 1, SAP_type 1, delta 0
  });
  return box;
}

/** Reads an ffmpeg-written fragmented MP4 and returns its fragments and rewritten init section. */
export async function analyzeFmp4(path: string): Promise<Fmp4Layout> {
  const handle = await open(path, "r");
  try {
    const { size: fileSize } = await handle.stat();
    const boxes = await topLevelBoxes(handle, fileSize);
    const firstMoof = boxes.findIndex((b) => b.type === "moof");
    const moovBox = boxes.find((b) => b.type === "moov");
    if (!moovBox || firstMoof < 0) throw new Error("not a fragmented MP4 (no moov or moof)");
    const moovIndex = boxes.indexOf(moovBox);
    if (moovIndex > firstMoof) throw new Error("moov after the first moof");

    const moov = await readAt(handle, moovBox.start, moovBox.size);
    const trexDefaults: TrackDefaults[] = [];
    const mvex = findChild(moov, { type: "moov", start: 0, size: moov.length, headerSize: moovBox.headerSize }, "mvex");
    if (mvex) {
      for (const trex of childBoxes(moov, mvex.start + mvex.headerSize, mvex.start + mvex.size)) {
        if (trex.type !== "trex") continue;
        trexDefaults.push({
          trackId: moov.readUInt32BE(trex.start + 12),
          defaultSampleDuration: moov.readUInt32BE(trex.start + 20),
        });
      }
    }

    // A fragment runs from its moof to the next moof; trailing index boxes (mfra) are dropped.
    const fragments: Fragment[] = [];
    let mediaEnd = boxes[firstMoof]?.start ?? 0;
    for (let i = firstMoof; i < boxes.length; i++) {
      const box = boxes[i] as BoxHeader;
      if (box.type === "moof") {
        const moof = await readAt(handle, box.start, box.size);
        const { duration, baseMediaDecodeTime } = fragmentDuration(moof, trexDefaults);
        fragments.push({ start: box.start, size: box.size, duration, baseMediaDecodeTime });
        mediaEnd = box.start + box.size;
      } else if (box.type === "mfra" || box.type === "mfro") {
        break;
      } else {
        const last = fragments[fragments.length - 1];
        if (last) last.size += box.size;
        mediaEnd = box.start + box.size;
      }
    }

    const totalDuration = fragments.reduce((sum, f) => sum + f.duration, 0);
    const rewritten = rewriteMoov(moov, totalDuration);
    const mediaStart = (boxes[firstMoof] as BoxHeader).start;
    const before = await readAt(handle, 0, mediaStart);
    const index = sidxBox(trexDefaults[0]?.trackId ?? 1, rewritten.timescale, fragments);
    const moovStart = moovBox.start;
    const init = Buffer.concat([
      before.subarray(0, moovStart),
      rewritten.moov,
      before.subarray(moovStart + moovBox.size),
    ]);
    return {
      init,
      fragments,
      mediaStart,
      mediaEnd,
      timescale: rewritten.timescale,
      totalDuration,
      primingDuration: rewritten.priming,
      index,
      outputSize: init.length + index.length + (mediaEnd - mediaStart),
    };
  } finally {
    await handle.close();
  }
}
