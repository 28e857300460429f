ALTER TABLE `rooms` ADD `party_started_at` integer;--> statement-breakpoint
ALTER TABLE `rooms` ADD `party_track_id` text;