/**
 * The R2 key layout: every object the MEDIA bucket holds is named here, nowhere else.
 *
 *   tracks/<trackId>/original            the uploaded file (multipart upload target)
 *   tracks/<trackId>/renditions/<file>   transcoder outputs: renditions, HLS playlists, waveform, embedded art
 *   tracks/<trackId>/cover               cover art the owner uploaded
 *   albums/<albumId>/cover               album cover
 *   users/<userId>/avatar                avatar
 *
 * Deleting a track or an album deletes everything under its prefix.
 */
/** Where every track's prefix lives (the orphan sweep lists it by `/`). */
export const TRACKS_ROOT = "tracks/";
export const trackPrefix = (trackId: string) => `${TRACKS_ROOT}${trackId}/`;
export const originalKey = (trackId: string) => `${trackPrefix(trackId)}original`;
export const renditionsPrefix = (trackId: string) => `${trackPrefix(trackId)}renditions/`;
export const renditionKey = (trackId: string, file: string) => renditionsPrefix(trackId) + file;
export const trackCoverKey = (trackId: string) => `${trackPrefix(trackId)}cover`;
export const albumPrefix = (albumId: string) => `albums/${albumId}/`;
export const albumCoverKey = (albumId: string) => `${albumPrefix(albumId)}cover`;
export const avatarKey = (userId: string) => `users/${userId}/avatar`;
