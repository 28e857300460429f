/**
 * File types from magic numbers, never from names. Pure functions over the first bytes of a file.
 * SNIFF_BYTES is enough for every signature here (an Ogg first page with its codec header fits in it).
 */
export const SNIFF_BYTES = 4096;

export type AudioKind = "mp3" | "flac" | "wav" | "aac" | "m4a" | "ogg-vorbis" | "ogg-opus" | "aiff";
export type AudioType = { kind: AudioKind; mime: string; ext: string };
export type ImageType = { mime: "image/jpeg" | "image/png" | "image/webp"; ext: "jpg" | "png" | "webp" };

export const AUDIO_TYPES: Record<AudioKind, AudioType> = {
  mp3: { kind: "mp3", mime: "audio/mpeg", ext: "mp3" },
  flac: { kind: "flac", mime: "audio/flac", ext: "flac" },
  wav: { kind: "wav", mime: "audio/wav", ext: "wav" },
  aac: { kind: "aac", mime: "audio/aac", ext: "aac" },
  m4a: { kind: "m4a", mime: "audio/mp4", ext: "m4a" },
  "ogg-vorbis": { kind: "ogg-vorbis", mime: "audio/ogg", ext: "ogg" },
  "ogg-opus": { kind: "ogg-opus", mime: "audio/ogg; codecs=opus", ext: "opus" },
  aiff: { kind: "aiff", mime: "audio/aiff", ext: "aiff" },
};

/** `ftyp` major brands of MPEG-4 files that carry audio (M4A/M4B and the generic ISO brands). */
const MP4_BRANDS = new Set(["M4A ", "M4B ", "M4P ", "isom", "iso2", "iso5", "iso6", "mp41", "mp42", "dash", "MSNV"]);

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (offset + length > bytes.length) return "";
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (offset + signature.length > bytes.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

/** An MPEG-1/2/2.5 audio frame header (layer I–III) with legal fields: its length in bytes, or undefined. */
function mpegFrameLength(bytes: Uint8Array, at: number): number | undefined {
  if (at + 4 > bytes.length) return undefined;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = (b1 >> 3) & 0b11; // 00 MPEG-2.5, 10 MPEG-2, 11 MPEG-1
  const layer = (b1 >> 1) & 0b11; // 01 III, 10 II, 11 I
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 0b11;
  // Free-format (bitrate 0) frames have no computable length; real encoders do not write them.
  if (version === 0b01 || layer === 0b00 || bitrateIndex === 0 || bitrateIndex === 0b1111 || rateIndex === 0b11) {
    return undefined;
  }
  const mpeg1 = version === 0b11;
  const kbps = MPEG_BITRATES[mpeg1 ? 0 : 1]![3 - layer]![bitrateIndex]!;
  const sampleRate = [44100, 48000, 32000][rateIndex]! / (mpeg1 ? 1 : version === 0b10 ? 2 : 4);
  const padding = (b2 >> 1) & 1;
  if (layer === 0b11) return (Math.floor((12 * kbps * 1000) / sampleRate) + padding) * 4;
  const samplesPerByte = layer === 0b01 && !mpeg1 ? 72 : 144;
  return Math.floor((samplesPerByte * kbps * 1000) / sampleRate) + padding;
}

/** kbps by [MPEG-1 | MPEG-2/2.5][layer I, II, III][bitrate index]. */
const MPEG_BITRATES = [
  [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
];

/**
 * Two MPEG audio frames in a row, the second where the first one's length says, with the same
 * version, layer and sample rate: a lone 4-byte sync pattern is too easy to forge or hit by chance.
 */
function isMpegStream(bytes: Uint8Array, at: number): boolean {
  const length = mpegFrameLength(bytes, at);
  if (length === undefined || mpegFrameLength(bytes, at + length) === undefined) return false;
  const sameStream = (b1: number, b2: number) =>
    (b1 & 0xfe) === (bytes[at + 1]! & 0xfe) && (b2 & 0x0c) === (bytes[at + 2]! & 0x0c);
  return sameStream(bytes[at + length + 1]!, bytes[at + length + 2]!);
}

/** An ADTS header (12-bit sync, layer 00, valid sampling index): its frame length, or undefined. */
function adtsFrameLength(bytes: Uint8Array, at: number): number | undefined {
  if (at + 7 > bytes.length) return undefined;
  const b1 = bytes[at + 1]!;
  if (bytes[at] !== 0xff || (b1 & 0xf6) !== 0xf0) return undefined;
  if (((bytes[at + 2]! >> 2) & 0b1111) > 12) return undefined;
  const length = ((bytes[at + 3]! & 0b11) << 11) | (bytes[at + 4]! << 3) | (bytes[at + 5]! >> 5);
  return length >= 7 ? length : undefined;
}

/** Two ADTS frames in a row, the second where the first one's length says. */
function isAdtsStream(bytes: Uint8Array, at: number): boolean {
  const length = adtsFrameLength(bytes, at);
  return length !== undefined && adtsFrameLength(bytes, at + length) !== undefined;
}

/** `fLaC` followed by its mandatory first metadata block, a 34-byte STREAMINFO. */
function isFlac(bytes: Uint8Array, at: number): boolean {
  if (ascii(bytes, at, 4) !== "fLaC" || at + 8 > bytes.length) return false;
  const blockType = bytes[at + 4]! & 0x7f;
  const length = (bytes[at + 5]! << 16) | (bytes[at + 6]! << 8) | bytes[at + 7]!;
  return blockType === 0 && length === 34;
}

/** A chunk called `id` among the first chunks of a RIFF (little-endian sizes) or IFF (big-endian) file. */
function hasChunk(bytes: Uint8Array, id: string, littleEndian: boolean): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 12; at + 8 <= bytes.length; ) {
    if (ascii(bytes, at, 4) === id) return true;
    const size = view.getUint32(at + 4, littleEndian);
    at += 8 + size + (size & 1);
  }
  return false;
}

/** The ID3v2 tag length (header included), or undefined when `bytes` does not start with one. */
export function id3Length(bytes: Uint8Array): number | undefined {
  if (!startsWith(bytes, [0x49, 0x44, 0x33]) || bytes.length < 10) return undefined;
  const major = bytes[3]!;
  if (major < 2 || major > 4 || bytes[4] === 0xff) return undefined;
  let size = 0;
  for (let i = 6; i < 10; i++) {
    const b = bytes[i]!;
    if (b & 0x80) return undefined; // syncsafe integers never set the high bit
    size = (size << 7) | b;
  }
  const footer = bytes[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

function sniffOgg(bytes: Uint8Array): AudioType | undefined {
  // First page: 27-byte header, then `segments` lacing values, then the codec's identification packet.
  if (bytes.length < 28) return undefined;
  const packet = 27 + bytes[26]!;
  if (ascii(bytes, packet, 7) === "\x01vorbis") return AUDIO_TYPES["ogg-vorbis"];
  if (ascii(bytes, packet, 8) === "OpusHead") return AUDIO_TYPES["ogg-opus"];
  return undefined;
}

/** What may follow a leading ID3v2 tag: MPEG audio, ADTS AAC or FLAC, starting right at `bytes[0]`. */
function sniffAfterTag(bytes: Uint8Array): AudioType | undefined {
  if (isMpegStream(bytes, 0)) return AUDIO_TYPES.mp3;
  if (isAdtsStream(bytes, 0)) return AUDIO_TYPES.aac;
  if (isFlac(bytes, 0)) return AUDIO_TYPES.flac;
  return undefined;
}

/**
 * The audio format of a file from its first bytes, or undefined when it is not one we accept. A
 * leading ID3v2 tag is skipped and what follows it must be audio too: when the tag runs past
 * `bytes`, the answer is undefined (see sniffAudioFile, which reads on).
 */
export function sniffAudio(bytes: Uint8Array): AudioType | undefined {
  if (isFlac(bytes, 0)) return AUDIO_TYPES.flac;
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WAVE") {
    return hasChunk(bytes, "fmt ", true) ? AUDIO_TYPES.wav : undefined;
  }
  if (ascii(bytes, 0, 4) === "FORM" && ["AIFF", "AIFC"].includes(ascii(bytes, 8, 4))) {
    return hasChunk(bytes, "COMM", false) ? AUDIO_TYPES.aiff : undefined;
  }
  if (ascii(bytes, 0, 4) === "OggS") return sniffOgg(bytes);
  if (ascii(bytes, 4, 4) === "ftyp" && MP4_BRANDS.has(ascii(bytes, 8, 4))) return AUDIO_TYPES.m4a;
  const tag = id3Length(bytes);
  if (tag !== undefined) return sniffAfterTag(bytes.subarray(tag));
  if (isAdtsStream(bytes, 0)) return AUDIO_TYPES.aac;
  if (isMpegStream(bytes, 0)) return AUDIO_TYPES.mp3;
  return undefined;
}

/** Reads up to `length` bytes of a file from `offset` (fewer at its end). */
export type ByteReader = (offset: number, length: number) => Promise<Uint8Array>;

/**
 * sniffAudio over a whole file: when a leading ID3v2 tag (large embedded art, or padding meant to
 * push something else out of sight) runs past `head`, the bytes after the tag are read and checked.
 */
export async function sniffAudioFile(head: Uint8Array, read: ByteReader): Promise<AudioType | undefined> {
  const tag = id3Length(head);
  if (tag === undefined || tag + SNIFF_BYTES <= head.length) return sniffAudio(head);
  return sniffAfterTag(await read(tag, SNIFF_BYTES));
}

const IMAGE_TYPES = {
  jpeg: { mime: "image/jpeg", ext: "jpg" },
  png: { mime: "image/png", ext: "png" },
  webp: { mime: "image/webp", ext: "webp" },
} as const satisfies Record<string, ImageType>;

/** JPEG, PNG or WebP from the first bytes; undefined for anything else. */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return IMAGE_TYPES.jpeg;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return IMAGE_TYPES.png;
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return IMAGE_TYPES.webp;
  return undefined;
}

/** The audio type recorded (as its MIME type) for an upload. */
export function audioTypeByMime(mime: string | null | undefined): AudioType | undefined {
  return Object.values(AUDIO_TYPES).find((type) => type.mime === mime);
}

/** The audio type served for an `original.<ext>` file name. */
export function audioTypeByExt(ext: string): AudioType | undefined {
  return Object.values(AUDIO_TYPES).find((type) => type.ext === ext);
}
