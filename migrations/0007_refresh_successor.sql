ALTER TABLE `refresh_tokens` ADD `successor_id` text;--> statement-breakpoint
ALTER TABLE `refresh_tokens` ADD `successor_sealed` text;--> statement-breakpoint
CREATE INDEX `refresh_tokens_expires_idx` ON `refresh_tokens` (`expires_at`);