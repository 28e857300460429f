// HLS (RFC 8216, version 7) playlists addressing one fragmented MP4 per rendition by byte range:
// the init section (ftyp+moov) via EXT-X-MAP, every moof+mdat pair as one media segment (the sidx
// between them is for progressive players and is not addressed).

import type { Fmp4Layout } from "./fmp4.ts";

export const AAC_LC_CODECS = "mp4a.40.2";

export type Segment = { offset: number; length: number; durationS: number };

/** Segments of a rewritten file (offsets are in the file as served: init, sidx, then the media). */
export function segmentsOf(layout: Fmp4Layout): Segment[] {
  return layout.fragments.map((f) => ({
    offset: layout.init.length + layout.index.length + (f.start - layout.mediaStart),
    length: f.size,
    durationS: f.duration / layout.timescale,
  }));
}

const formatDuration = (seconds: number) => seconds.toFixed(6);

export function mediaPlaylist(uri: string, initLength: number, segments: Segment[]): string {
  const longest = segments.reduce((max, s) => Math.max(max, s.durationS), 0);
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.round(longest))}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    `#EXT-X-MAP:URI="${uri}",BYTERANGE="${initLength}@0"`,
  ];
  for (const s of segments) {
    lines.push(`#EXTINF:${formatDuration(s.durationS)},`, `#EXT-X-BYTERANGE:${s.length}@${s.offset}`, uri);
  }
  lines.push("#EXT-X-ENDLIST", "");
  return lines.join("\n");
}

/** Peak and average segment bit rates of a rendition (HLS BANDWIDTH / AVERAGE-BANDWIDTH), bits/s. */
export function bandwidthOf(segments: Segment[]): { peak: number; average: number } {
  let peak = 0;
  let bytes = 0;
  let seconds = 0;
  for (const s of segments) {
    bytes += s.length;
    seconds += s.durationS;
    if (s.durationS > 0) peak = Math.max(peak, (s.length * 8) / s.durationS);
  }
  const average = seconds > 0 ? (bytes * 8) / seconds : 0;
  return { peak: Math.ceil(Math.max(peak, average)), average: Math.ceil(average) };
}

export type Variant = { playlist: string; peak: number; average: number; codecs: string };

export function masterPlaylist(variants: Variant[]): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"];
  for (const v of variants) {
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${v.peak},AVERAGE-BANDWIDTH=${v.average},CODECS="${v.codecs}"`, v.playlist);
  }
  lines.push("");
  return lines.join("\n");
}
