import { eq } from "drizzle-orm";
import { findUserById } from "../auth/users.ts";
import { getDb } from "../db/client.ts";
import { users } from "../db/schema/index.ts";
import type { Call, Method } from "./call.ts";
import { notAuthorized, notFound, type Payload } from "./envelope.ts";

/** The one music folder: Veza has a single library. */
export const MUSIC_FOLDER = { id: 1, name: "Veza" };

/** The OpenSubsonic extensions this server implements, with their versions. */
export const EXTENSIONS: Payload[] = [
  { name: "apiKeyAuthentication", versions: [1] },
  { name: "formPost", versions: [1] },
  { name: "songLyrics", versions: [1] },
];

export const ping: Method = async () => ({});

export const getLicense: Method = async () => ({
  license: { valid: true, email: "", licenseExpires: undefined },
});

export const getOpenSubsonicExtensions = async (): Promise<Payload> => ({ openSubsonicExtensions: EXTENSIONS });

export const getMusicFolders: Method = async () => ({ musicFolders: { musicFolder: [MUSIC_FOLDER] } });

export const getScanStatus: Method = async () => ({ scanStatus: { scanning: false, count: 0 } });

export const getUser: Method = async ({ env, params, user }: Call) => {
  const username = (params.get("username") ?? user.username).toLowerCase();
  if (username !== user.username && user.role !== "admin") {
    throw notAuthorized("You can only look up your own account.");
  }
  const row =
    username === user.username
      ? await findUserById(env.DB, user.id)
      : await getDb(env.DB).select().from(users).where(eq(users.username, username)).get();
  if (!row) throw notFound("User");
  return {
    user: {
      username: row.username,
      email: row.email,
      scrobblingEnabled: true,
      adminRole: row.role === "admin",
      settingsRole: false,
      downloadRole: true,
      uploadRole: false,
      playlistRole: true,
      coverArtRole: false,
      commentRole: false,
      podcastRole: false,
      streamRole: true,
      jukeboxRole: false,
      shareRole: false,
      videoConversionRole: false,
      folder: [MUSIC_FOLDER.id],
    },
  };
};
