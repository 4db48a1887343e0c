CREATE TABLE `venue_events` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`view` text NOT NULL,
	`updated_at` integer NOT NULL
);
