// From the roster to what the engine is told (ModifyCloudRecording for TRTC): an explicit UserId per tile and
// subscription allow lists naming only the tile owners, so neither picture nor sound ever holds a 7th anchor or an
// audience member. TRTC's Modify replaces the layout and the subscriptions together, so a plan always has both.
import { type Canvas, type TileRect, tileRects } from "./layout";
import { mixedOwners, type Roster } from "./roster";

export interface PlannedTile {
  userId: string;
  rect: TileRect;
}

export interface MixPlan {
  canvas: Canvas;
  /**
   * One tile per owner, in slot order. Empty when nobody owns a tile: there is nothing to restrict, and the
   * engine's own layout shows the next anchor at once (full canvas, as ours would) instead of after a round trip.
   */
  tiles: PlannedTile[];
  /**
   * Whose sound is mixed: the tile owners. A reserved owner who is away is silent because they publish nothing;
   * keeping them listed is what lets their voice come back the moment they return, before any new call.
   */
  audioUserIds: string[];
  /** Whose picture is received: the tile owners (an away owner's tile keeps its last frame). */
  videoUserIds: string[];
}

export function planMix(roster: Roster, canvas: Canvas): MixPlan {
  const owners = mixedOwners(roster);
  const rects = tileRects(owners.length, canvas);
  const ids = owners.map((o) => o.userId);
  return { canvas, tiles: owners.map((o, i) => ({ userId: o.userId, rect: rects[i] })), audioUserIds: ids, videoUserIds: [...ids] };
}

/** Equal keys mean the engine would be told the same thing (presence is not part of it: TRTC handles that). */
export function planKey(plan: MixPlan): string {
  return JSON.stringify([plan.canvas.width, plan.canvas.height, plan.tiles.map((t) => [t.userId, t.rect.x, t.rect.y, t.rect.w, t.rect.h]), plan.audioUserIds, plan.videoUserIds]);
}

export interface ModifyDecision {
  plan: MixPlan;
  key: string;
  /** False when `lastKey` already describes this plan: the call is skipped. */
  changed: boolean;
}

/** What to send after a room event, given the key of the plan last applied (if any). */
export function decideModify(roster: Roster, canvas: Canvas, lastKey: string | undefined): ModifyDecision {
  const plan = planMix(roster, canvas);
  const key = planKey(plan);
  return { plan, key, changed: key !== lastKey };
}
