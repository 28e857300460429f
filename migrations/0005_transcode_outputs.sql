CREATE TABLE `track_outputs` (
	`track_id` text PRIMARY KEY NOT NULL,
	`renditions` text NOT NULL,
	`hls_master` text NOT NULL,
	`waveform_file` text NOT NULL,
	`integrated_lufs` real NOT NULL,
	`true_peak_dbtp` real NOT NULL,
	`loudness_range` real NOT NULL,
	`gain_db` real NOT NULL,
	`source_format` text NOT NULL,
	`source_codec` text NOT NULL,
	`source_sample_rate` integer NOT NULL,
	`source_channels` integer NOT NULL,
	`source_bitrate_kbps` integer,
	`tags` text NOT NULL,
	`completed_at` integer NOT NULL,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
