import { useEffect } from "react";
import { usePlayer } from "../../stores/player.ts";

export type Shortcut = {
  keys: string[];
  action:
    | "playPause"
    | "next"
    | "previous"
    | "seekForward"
    | "seekBack"
    | "volumeUp"
    | "volumeDown"
    | "mute"
    | "queue"
    | "help";
};

/** The shortcuts, in the order the help sheet lists them. */
export const SHORTCUTS: Shortcut[] = [
  { keys: ["Space", "K"], action: "playPause" },
  { keys: ["Shift+N"], action: "next" },
  { keys: ["Shift+P"], action: "previous" },
  { keys: ["L", "→"], action: "seekForward" },
  { keys: ["J", "←"], action: "seekBack" },
  { keys: ["+"], action: "volumeUp" },
  { keys: ["-"], action: "volumeDown" },
  { keys: ["M"], action: "mute" },
  { keys: ["Q"], action: "queue" },
  { keys: ["?"], action: "help" },
];

const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) ||
    target.getAttribute("role") === "slider");

/** Player keys anywhere on the page, except while typing or on a control that uses the same keys. */
export function useShortcuts(open: { queue: () => void; help: () => void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      const player = usePlayer.getState();
      const onButton = event.target instanceof HTMLElement && ["BUTTON", "A"].includes(event.target.tagName);
      let handled = true;
      switch (event.key) {
        case " ":
          if (onButton) return; // Space activates the focused button
          player.toggle();
          break;
        case "k":
          player.toggle();
          break;
        case "N":
          player.next();
          break;
        case "P":
          player.previous();
          break;
        case "l":
        case "ArrowRight":
          player.seek(player.position + 10);
          break;
        case "j":
        case "ArrowLeft":
          player.seek(player.position - 10);
          break;
        case "+":
        case "=":
          player.setVolume(player.volume + 0.1);
          break;
        case "-":
          player.setVolume(player.volume - 0.1);
          break;
        case "m":
          player.toggleMute();
          break;
        case "q":
          open.queue();
          break;
        case "?":
          open.help();
          break;
        default:
          handled = false;
      }
      if (handled) event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
}
