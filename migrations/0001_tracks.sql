CREATE TABLE `tracks` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`title` text NOT NULL,
	`artist` text NOT NULL,
	`genre` text DEFAULT '' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`visibility` text DEFAULT 'public' NOT NULL,
	`status` text DEFAULT 'uploading' NOT NULL,
	`failure_reason` text,
	`duration_ms` integer,
	`cover_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tracks_owner_created_idx` ON `tracks` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tracks_listing_idx` ON `tracks` (`visibility`,`status`,`created_at`);