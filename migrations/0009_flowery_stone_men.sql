ALTER TABLE `tracks` ADD `downloadable` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tracks` ADD `media_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `track_outputs` ADD `download_file` text;