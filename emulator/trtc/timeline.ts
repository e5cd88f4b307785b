// From "who was in the room when" and "which layout/subscription applied when" to the mixed picture and sound
// over time: a list of segments during which the composition is constant. Pure, so the mixing rules are unit
// tested without ffmpeg; the mixer only draws what this decides.
import { clipRect, floatingRects, gridRects, screenShareRects, type Rect } from "./layout";
import type { LayoutConfig } from "./recording-params";
import { ANCHOR, type PresenceInterval } from "./room";
import { audioSubscribed, videoSubscribed, type SubscribeLists } from "./subscription";

/** The mix configuration from `atMs` on (CreateCloudRecording, then every ModifyCloudRecording). */
export interface ConfigSnapshot {
  atMs: number;
  layout: LayoutConfig;
  subscribe: SubscribeLists;
}

export interface Tile {
  userId: string;
  rect: Rect;
  color: string;
  /** False when the tile holds a departed user's last frame (or black, FillType 1). */
  live: boolean;
}

export interface Voice {
  userId: string;
  toneHz: number;
}

export interface Segment {
  fromMs: number;
  toMs: number;
  /** Drawn in order (back to front). */
  tiles: Tile[];
  voices: Voice[];
}

export interface ComposeInput {
  presence: PresenceInterval[];
  configs: ConfigSnapshot[];
  streamType: 0 | 1 | 2;
  fillType: 0 | 1;
  canvas: { width: number; height: number };
  fromMs: number;
  toMs: number;
}

function activeAt(i: PresenceInterval, t: number): boolean {
  return i.fromMs <= t && (i.toMs === null || t < i.toMs);
}

function configAt(configs: ConfigSnapshot[], t: number): ConfigSnapshot {
  let current = configs[0];
  for (const c of configs) if (c.atMs <= t) current = c;
  return current;
}

function autoLayout(layout: LayoutConfig, videos: PresenceInterval[], width: number, height: number): Tile[] {
  const bigId = layout.maxResolutionUserId;
  const big = videos.find((v) => v.userId === bigId);
  if (layout.mode === 1 || layout.mode === 2) {
    // Floating defaults its big window to the first anchor; screen-share leaves it as background when unnamed.
    const ordered = big ? [big, ...videos.filter((v) => v !== big)] : videos;
    const rects = layout.mode === 1 ? floatingRects(ordered.length, width, height) : screenShareRects(ordered.length, width, height, big !== undefined);
    return rects.map((rect, i) => ({ userId: ordered[i].userId, rect, color: ordered[i].media.color, live: true }));
  }
  return gridRects(videos.length, width, height).map((rect, i) => ({ userId: videos[i].userId, rect, color: videos[i].media.color, live: true }));
}

function customLayout(
  layout: LayoutConfig,
  videos: PresenceInterval[],
  seen: Map<string, string>,
  fillType: 0 | 1,
  width: number,
  height: number,
): Tile[] {
  const named = new Set(layout.entries.flatMap((e) => (e.userId ? [e.userId] : [])));
  // Unnamed slots take the anchors no entry names, in the order they became anchors.
  const unnamed = videos.filter((v) => !named.has(v.userId));
  const tiles: Tile[] = [];
  const entries = [...layout.entries].sort((a, b) => a.layer - b.layer);
  for (const entry of entries) {
    const rect = clipRect(entry.rect, width, height);
    if (!rect) continue;
    if (!entry.userId) {
      const next = unnamed.shift();
      if (next) tiles.push({ userId: next.userId, rect, color: next.media.color, live: true });
      continue;
    }
    const live = videos.find((v) => v.userId === entry.userId);
    if (live) {
      tiles.push({ userId: live.userId, rect, color: live.media.color, live: true });
      continue;
    }
    const lastColor = seen.get(entry.userId);
    // A user who stopped publishing keeps the slot: last frame (FillType 0) or black (1). Never seen: background.
    if (lastColor !== undefined) tiles.push({ userId: entry.userId, rect, color: fillType === 0 ? lastColor : "black", live: false });
  }
  return tiles;
}

/** Splits [fromMs, toMs) at every presence and configuration change and composes each piece. */
export function composeSegments(input: ComposeInput): Segment[] {
  const { width, height } = input.canvas;
  const anchors = input.presence.filter((i) => i.role === ANCHOR && !i.robot);
  const cuts = new Set<number>([input.fromMs, input.toMs]);
  for (const i of anchors) {
    for (const t of [i.fromMs, i.toMs]) if (t !== null && t > input.fromMs && t < input.toMs) cuts.add(t);
  }
  for (const c of input.configs) if (c.atMs > input.fromMs && c.atMs < input.toMs) cuts.add(c.atMs);
  const times = [...cuts].sort((a, b) => a - b);

  const seen = new Map<string, string>();
  const segments: Segment[] = [];
  for (let k = 0; k + 1 < times.length; k++) {
    const [from, to] = [times[k], times[k + 1]];
    const config = configAt(input.configs, from);
    // Entry order: the moment each one became an anchor (join as anchor, or switch to anchor).
    const present = anchors.filter((i) => activeAt(i, from)).sort((a, b) => a.fromMs - b.fromMs);
    const videos = input.streamType === 1 ? [] : present.filter((i) => videoSubscribed(config.subscribe, i.userId));
    const voices = input.streamType === 2 ? [] : present.filter((i) => audioSubscribed(config.subscribe, i.userId));
    const tiles =
      config.layout.mode === 4 ? customLayout(config.layout, videos, seen, input.fillType, width, height) : autoLayout(config.layout, videos, width, height);
    for (const v of videos) seen.set(v.userId, v.media.color);
    segments.push({ fromMs: from, toMs: to, tiles, voices: voices.map((v) => ({ userId: v.userId, toneHz: v.media.toneHz })) });
  }
  return segments;
}

/** A segment carries media when some anchor is live in it (a held last frame alone does not count). */
export function isActive(s: Segment): boolean {
  return s.voices.length > 0 || s.tiles.some((t) => t.live);
}

/**
 * What the recording file covers: from the first moment a subscribed anchor is received ("recording starts when
 * data from an anchor is first received") to the last; gaps in between stay in the file as background and silence.
 * Null when nothing was ever received, in which case TRTC writes no file.
 */
export function recordedSpan(segments: Segment[]): { beginMs: number; endMs: number; segments: Segment[] } | null {
  const first = segments.findIndex(isActive);
  if (first < 0) return null;
  let last = segments.length - 1;
  while (!isActive(segments[last])) last--;
  const kept = segments.slice(first, last + 1);
  return { beginMs: kept[0].fromMs, endMs: kept[kept.length - 1].toMs, segments: kept };
}
