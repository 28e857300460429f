/** The demo's accounts and content (ops/seed.ts). Development only: never seed a deployed database. */
export const DEMO_PASSWORD = "veza demo listening 2026";

export const DEMO_ACCOUNT = { username: "demo", displayName: "Demo Listener" };

type DemoTrack = { title: string; chord: number[]; colors: [string, string] };
export type DemoArtist = { username: string; displayName: string; album: string; tracks: DemoTrack[] };

export const DEMO_ARTISTS: DemoArtist[] = [
  {
    username: "nova_lights",
    displayName: "Nova Lights",
    album: "Low Orbit",
    tracks: [
      { title: "First Light", chord: [220, 277.18, 329.63], colors: ["1e3a8a", "f472b6"] },
      { title: "Perihelion", chord: [246.94, 311.13, 369.99], colors: ["0f172a", "38bdf8"] },
    ],
  },
  {
    username: "quiet_harbor",
    displayName: "Quiet Harbor",
    album: "Tidewater",
    tracks: [
      { title: "Slack Water", chord: [196, 246.94, 293.66], colors: ["064e3b", "a3e635"] },
      { title: "Mooring Lines", chord: [174.61, 220, 261.63], colors: ["134e4a", "fde68a"] },
    ],
  },
  {
    username: "tape_loop_club",
    displayName: "Tape Loop Club",
    album: "Side B",
    tracks: [
      { title: "Wow and Flutter", chord: [261.63, 329.63, 392], colors: ["7c2d12", "fbbf24"] },
      { title: "Hiss", chord: [293.66, 369.99, 440], colors: ["4c1d95", "f9a8d4"] },
    ],
  },
];

export const DEMO_ROOM = {
  name: "Listening lounge",
  topic: "Say hi and share what you are playing.",
  hostMessages: ["Welcome to the lounge! Low Orbit is out now.", "Tell us what you are listening to."],
  guestMessages: ["Hi all, Slack Water is on repeat here."],
};
