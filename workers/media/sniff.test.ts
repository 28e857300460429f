import { describe, expect, it } from "vitest";
import { SNIFF_BYTES, sniffAudio, sniffAudioFile, sniffImage } from "./sniff.ts";
import { id3HiddenPlaylist, jpegBytes, mp3Bytes, pngBytes, wavBytes, webpBytes, zipBytes } from "./test/fixtures.ts";

const ascii = (text: string) => Array.from(text, (ch) => ch.charCodeAt(0));
const bytes = (...parts: Array<number[] | string>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? ascii(p) : p)).concat(new Array(64).fill(0)));

/** `count` MPEG frames of `length` bytes each, starting with `header`. */
const mpegFrames = (header: number[], length: number, count = 2) =>
  Array.from({ length: count }, () => [...header, ...new Array(length - header.length).fill(0)]).flat();
/** Two ADTS frames of 16 bytes (header with frame length 16). */
const adtsFrames = (b1: number) => mpegFrames([0xff, b1, 0x50, 0x80, 0x02, 0x1f, 0xfc], 16);
const STREAMINFO = [0, 0, 0, 34];
/** An ID3v2.3 tag of `size` bytes (syncsafe), all padding. */
const id3Tag = (size: number) => [
  ...ascii("ID3"),
  3,
  0,
  0,
  (size >> 21) & 0x7f,
  (size >> 14) & 0x7f,
  (size >> 7) & 0x7f,
  size & 0x7f,
  ...new Array(size).fill(0),
];
const readerOf = (file: Uint8Array) => async (offset: number, length: number) => file.subarray(offset, offset + length);

/** An Ogg first page (27-byte header, one lacing value) whose packet starts with `packet`. */
const oggPage = (packet: string) => bytes("OggS", [0, 2], new Array(20).fill(0), [1, packet.length], packet);

describe("audio sniffing", () => {
  const cases: Array<[string, Uint8Array, string]> = [
    ["MP3 with an ID3v2 tag", mp3Bytes(), "audio/mpeg"],
    // 128 kbps at 44.1 kHz: 417-byte frames. MPEG-2 64 kbps at 22.05 kHz, padded: 72·64000/22050 + 1 = 209.
    ["two MPEG-1 Layer III frames", bytes(mpegFrames([0xff, 0xfb, 0x90, 0x64], 417)), "audio/mpeg"],
    ["two MPEG-2 Layer III frames", bytes(mpegFrames([0xff, 0xf3, 0x82, 0xc4], 209)), "audio/mpeg"],
    ["FLAC", bytes("fLaC", STREAMINFO), "audio/flac"],
    ["FLAC behind an ID3 tag", bytes("ID3", [3, 0, 0, 0, 0, 0, 0], "fLaC", STREAMINFO), "audio/flac"],
    ["WAV", wavBytes(100), "audio/wav"],
    ["ADTS AAC (0xFFF1)", bytes(adtsFrames(0xf1)), "audio/aac"],
    ["ADTS AAC with CRC (0xFFF9)", bytes(adtsFrames(0xf9)), "audio/aac"],
    ["M4A", bytes([0, 0, 0, 0x20], "ftypM4A ", [0, 0, 0, 0], "M4A isom"), "audio/mp4"],
    ["MP4 (isom brand)", bytes([0, 0, 0, 0x18], "ftypisom"), "audio/mp4"],
    ["Ogg Vorbis", oggPage("\x01vorbis"), "audio/ogg"],
    ["Ogg Opus", oggPage("OpusHead"), "audio/ogg; codecs=opus"],
    ["AIFF", bytes("FORM", [0, 0, 0, 0x40], "AIFF", "COMM", [0, 0, 0, 18]), "audio/aiff"],
    ["AIFF-C", bytes("FORM", [0, 0, 0, 0x40], "AIFC", "FVER", [0, 0, 0, 4, 0, 0, 0, 0], "COMM"), "audio/aiff"],
  ];
  for (const [name, input, mime] of cases) {
    it(`recognises ${name}`, () => expect(sniffAudio(input)?.mime).toBe(mime));
  }

  const refused: Array<[string, Uint8Array]> = [
    ["a ZIP", zipBytes()],
    ["a PNG", pngBytes()],
    ["plain text", new TextEncoder().encode("ID3 is not a tag here, just text")],
    ["an Ogg Theora video", oggPage("\x80theora")],
    ["a RIFF AVI", bytes("RIFF", [0, 0, 0, 0], "AVI ")],
    ["an MP4 of an unknown brand", bytes([0, 0, 0, 0x18], "ftypqt  ")],
    ["a frame sync with a reserved layer", bytes(mpegFrames([0xff, 0xe0, 0x90, 0x64], 417))],
    ["a frame sync with a bad bitrate", bytes(mpegFrames([0xff, 0xfb, 0xf0, 0x64], 417))],
    // The 4 bytes that used to be enough to host anything (security review #8).
    ["a lone MPEG frame header before an executable", bytes([0xff, 0xfb, 0x90, 0x00], "MZ\x90\x00 This program")],
    ["a frame whose successor is not where its length says", bytes(mpegFrames([0xff, 0xfb, 0x90, 0x64], 400))],
    ["a lone ADTS header", bytes([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc])],
    ["fLaC without its STREAMINFO block", bytes("fLaC", "<html>")],
    ["a WAVE header with no fmt chunk", bytes("RIFF", [0, 0, 0, 0], "WAVE", "junk", [4, 0, 0, 0], "<htm")],
    ["an ID3 header followed by HTML", bytes("ID3", [3, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f], "<html>")],
    ["an ID3 tag followed by garbage", bytes("ID3", [4, 0, 0, 0, 0, 0, 0], "garbage")],
    ["an ID3 header with a non-syncsafe size", bytes("ID3", [4, 0, 0, 0x80, 0, 0, 0])],
    ["nothing", new Uint8Array(0)],
  ];
  for (const [name, input] of refused) {
    it(`refuses ${name}`, () => expect(sniffAudio(input)).toBeUndefined());
  }

  it("never trusts an ID3 header alone when its tag runs past the bytes at hand", () => {
    expect(sniffAudio(bytes("ID3", [3, 0, 0, 0, 0x7f, 0x7f, 0x7f]))).toBeUndefined();
  });

  it("reads past a tag longer than the sniff window (large embedded art) and finds the frames", async () => {
    const file = new Uint8Array([...id3Tag(200_000), ...mpegFrames([0xff, 0xfb, 0x90, 0x64], 417, 4)]);
    expect((await sniffAudioFile(file.subarray(0, SNIFF_BYTES), readerOf(file)))?.kind).toBe("mp3");
  });

  it("refuses the hostile upload of security review #1: a 5,000-byte ID3 tag hiding an HLS playlist", async () => {
    const file = id3HiddenPlaylist();
    expect(await sniffAudioFile(file.subarray(0, SNIFF_BYTES), readerOf(file))).toBeUndefined();
  });
});

describe("image sniffing", () => {
  it("recognises JPEG, PNG and WebP by their bytes", () => {
    expect(sniffImage(jpegBytes())?.mime).toBe("image/jpeg");
    expect(sniffImage(pngBytes())?.mime).toBe("image/png");
    expect(sniffImage(webpBytes())?.mime).toBe("image/webp");
  });

  it("refuses audio, SVG, GIF and truncated signatures", () => {
    expect(sniffImage(wavBytes(100))).toBeUndefined();
    expect(sniffImage(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeUndefined();
    expect(sniffImage(new TextEncoder().encode("GIF89a"))).toBeUndefined();
    expect(sniffImage(new Uint8Array([0x89, 0x50, 0x4e]))).toBeUndefined();
  });
});
