-- Full-text search (FTS5) over tracks, users and playlists, and the triggers that keep the
-- catalog's counters exact. Each FTS row uses its source row's rowid, so updates and deletes
-- address it directly; the source id is stored too and is what queries join on.

CREATE VIRTUAL TABLE `tracks_fts` USING fts5(
	track_id UNINDEXED, title, artist, genre, tags,
	tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
--> statement-breakpoint
INSERT INTO `tracks_fts` (rowid, track_id, title, artist, genre, tags)
	SELECT rowid, id, title, artist, genre, tags FROM `tracks`;
--> statement-breakpoint
CREATE TRIGGER `tracks_fts_insert` AFTER INSERT ON `tracks` BEGIN
	INSERT INTO `tracks_fts` (rowid, track_id, title, artist, genre, tags)
		VALUES (new.rowid, new.id, new.title, new.artist, new.genre, new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `tracks_fts_update` AFTER UPDATE OF title, artist, genre, tags ON `tracks` BEGIN
	DELETE FROM `tracks_fts` WHERE rowid = old.rowid;
	INSERT INTO `tracks_fts` (rowid, track_id, title, artist, genre, tags)
		VALUES (new.rowid, new.id, new.title, new.artist, new.genre, new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `tracks_fts_delete` AFTER DELETE ON `tracks` BEGIN
	DELETE FROM `tracks_fts` WHERE rowid = old.rowid;
END;
--> statement-breakpoint

CREATE VIRTUAL TABLE `users_fts` USING fts5(
	user_id UNINDEXED, username, display_name,
	tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
--> statement-breakpoint
INSERT INTO `users_fts` (rowid, user_id, username, display_name)
	SELECT rowid, id, username, display_name FROM `users`;
--> statement-breakpoint
CREATE TRIGGER `users_fts_insert` AFTER INSERT ON `users` BEGIN
	INSERT INTO `users_fts` (rowid, user_id, username, display_name)
		VALUES (new.rowid, new.id, new.username, new.display_name);
END;
--> statement-breakpoint
CREATE TRIGGER `users_fts_update` AFTER UPDATE OF username, display_name ON `users` BEGIN
	DELETE FROM `users_fts` WHERE rowid = old.rowid;
	INSERT INTO `users_fts` (rowid, user_id, username, display_name)
		VALUES (new.rowid, new.id, new.username, new.display_name);
END;
--> statement-breakpoint
CREATE TRIGGER `users_fts_delete` AFTER DELETE ON `users` BEGIN
	DELETE FROM `users_fts` WHERE rowid = old.rowid;
END;
--> statement-breakpoint

CREATE VIRTUAL TABLE `playlists_fts` USING fts5(
	playlist_id UNINDEXED, title, description,
	tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
--> statement-breakpoint
INSERT INTO `playlists_fts` (rowid, playlist_id, title, description)
	SELECT rowid, id, title, description FROM `playlists`;
--> statement-breakpoint
CREATE TRIGGER `playlists_fts_insert` AFTER INSERT ON `playlists` BEGIN
	INSERT INTO `playlists_fts` (rowid, playlist_id, title, description)
		VALUES (new.rowid, new.id, new.title, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `playlists_fts_update` AFTER UPDATE OF title, description ON `playlists` BEGIN
	DELETE FROM `playlists_fts` WHERE rowid = old.rowid;
	INSERT INTO `playlists_fts` (rowid, playlist_id, title, description)
		VALUES (new.rowid, new.id, new.title, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `playlists_fts_delete` AFTER DELETE ON `playlists` BEGIN
	DELETE FROM `playlists_fts` WHERE rowid = old.rowid;
END;
--> statement-breakpoint

-- Counters. Cascaded deletes fire these too, so no code path can leave a count wrong.
CREATE TRIGGER `likes_count_insert` AFTER INSERT ON `likes` BEGIN
	UPDATE `tracks` SET like_count = like_count + 1 WHERE id = new.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER `likes_count_delete` AFTER DELETE ON `likes` BEGIN
	UPDATE `tracks` SET like_count = like_count - 1 WHERE id = old.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_count_insert` AFTER INSERT ON `comments` BEGIN
	UPDATE `tracks` SET comment_count = comment_count + 1 WHERE id = new.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_count_delete` AFTER DELETE ON `comments` BEGIN
	UPDATE `tracks` SET comment_count = comment_count - 1 WHERE id = old.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER `plays_count_insert` AFTER INSERT ON `plays` BEGIN
	UPDATE `tracks` SET play_count = play_count + 1 WHERE id = new.track_id;
	INSERT INTO `track_daily_plays` (track_id, day, plays) VALUES (new.track_id, new.created_at / 86400000, 1)
		ON CONFLICT (track_id, day) DO UPDATE SET plays = plays + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `follows_count_insert` AFTER INSERT ON `follows` BEGIN
	INSERT INTO `user_stats` (user_id, follower_count, following_count) VALUES (new.followee_id, 1, 0)
		ON CONFLICT (user_id) DO UPDATE SET follower_count = follower_count + 1;
	INSERT INTO `user_stats` (user_id, follower_count, following_count) VALUES (new.follower_id, 0, 1)
		ON CONFLICT (user_id) DO UPDATE SET following_count = following_count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `follows_count_delete` AFTER DELETE ON `follows` BEGIN
	UPDATE `user_stats` SET follower_count = follower_count - 1 WHERE user_id = old.followee_id;
	UPDATE `user_stats` SET following_count = following_count - 1 WHERE user_id = old.follower_id;
END;
