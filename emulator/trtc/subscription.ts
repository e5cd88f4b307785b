// SubscribeStreamUserIds: allow lists and deny lists of UserIds for audio and video. An entry ending in ".*$" is a
// prefix wildcard ("1.*$" = every UserId starting with "1"); anything else matches exactly.

export interface SubscribeLists {
  audioAllow: string[];
  audioDeny: string[];
  videoAllow: string[];
  videoDeny: string[];
}

export const SUBSCRIBE_ALL: SubscribeLists = { audioAllow: [], audioDeny: [], videoAllow: [], videoDeny: [] };

function matches(userId: string, entry: string): boolean {
  return entry.endsWith(".*$") ? userId.startsWith(entry.slice(0, -3)) : userId === entry;
}

/** An empty allow list means "everyone"; the deny list is applied after it. */
function subscribed(userId: string, allow: string[], deny: string[]): boolean {
  if (allow.length > 0 && !allow.some((e) => matches(userId, e))) return false;
  return !deny.some((e) => matches(userId, e));
}

export function audioSubscribed(lists: SubscribeLists, userId: string): boolean {
  return subscribed(userId, lists.audioAllow, lists.audioDeny);
}

export function videoSubscribed(lists: SubscribeLists, userId: string): boolean {
  return subscribed(userId, lists.videoAllow, lists.videoDeny);
}
