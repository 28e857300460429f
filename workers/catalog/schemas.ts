import { z } from "@hono/zod-openapi";
import { TRACK_STATUSES, VISIBILITIES } from "../db/schema/index.ts";
import { PageQuery } from "../shared/openapi.ts";

/** A page of a list that can be narrowed to one owner's items (`?owner=<username>`). */
export const OwnerPageQuery = PageQuery.extend({ owner: z.string().min(1).max(60).optional() });

/** `/tracks`: one owner's tracks and/or one genre's (`?genre=`, any case). */
export const TrackListQuery = OwnerPageQuery.extend({ genre: z.string().trim().min(1).max(60).optional() });

export const OwnerSchema = z
  .object({ id: z.string(), username: z.string(), displayName: z.string() })
  .openapi("TrackOwner");

export const TrackSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    artist: z.string(),
    owner: OwnerSchema,
    status: z.enum(TRACK_STATUSES),
    /** Why processing failed (only a `failed` track, which only its owner and admins can see, has one). */
    failureReason: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    visibility: z.enum(VISIBILITIES),
    /** The artist offers the original (metadata stripped) as `quality=original` to every listener. */
    downloadable: z.boolean(),
    genre: z.string(),
    tags: z.array(z.string()),
    description: z.string(),
    coverUrl: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    likeCount: z.number().int(),
    playCount: z.number().int(),
    commentCount: z.number().int(),
    /** Integrated loudness the transcoder measured (LUFS, EBU R128); null until processed. */
    loudnessLufs: z.number().nullable(),
    /** Gain (dB) to the -14 LUFS target, for volume normalisation; null until processed. */
    gainDb: z.number().nullable(),
    likedByMe: z.boolean().optional(),
  })
  .openapi("Track");
export type TrackResponse = z.infer<typeof TrackSchema>;

export const UserSummarySchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    avatarUrl: z.string().nullable(),
  })
  .openapi("UserSummary");

export const ProfileSchema = UserSummarySchema.extend({
  bio: z.string(),
  role: z.string(),
  createdAt: z.string(),
  followerCount: z.number().int(),
  followingCount: z.number().int(),
  trackCount: z.number().int(),
  followedByMe: z.boolean().optional(),
}).openapi("Profile");

export const PlaylistSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    visibility: z.enum(VISIBILITIES),
    owner: OwnerSchema,
    trackCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Playlist");

export const Title = z.string().trim().min(1).max(200);
export const Description = z.string().max(5000);

export const AlbumSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    releasedOn: z.string().nullable(),
    coverUrl: z.string().nullable(),
    owner: OwnerSchema,
    trackCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Album");

export const CommentSchema = z
  .object({
    id: z.string(),
    trackId: z.string(),
    body: z.string(),
    atMs: z.number().int().nullable(),
    createdAt: z.string(),
    author: UserSummarySchema,
  })
  .openapi("Comment");
