/**
 * One tab plays at a time: a tab that starts playing says so on a BroadcastChannel, and the
 * others pause. Returns `announce` (call it when playback starts) and `close`.
 */
export function oneTabPlayback(onOtherTabPlays: () => void, channelName = "veza:playback") {
  if (typeof BroadcastChannel === "undefined") return { announce: () => {}, close: () => {} };
  const tab = crypto.randomUUID();
  const channel = new BroadcastChannel(channelName);
  channel.onmessage = (event: MessageEvent<{ type: string; tab: string }>) => {
    if (event.data?.type === "playing" && event.data.tab !== tab) onOtherTabPlays();
  };
  return {
    announce: () => channel.postMessage({ type: "playing", tab }),
    close: () => channel.close(),
  };
}
