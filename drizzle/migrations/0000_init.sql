CREATE TABLE `dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`body` text NOT NULL,
	`error` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `order_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text,
	`order_version` integer,
	`time` integer NOT NULL,
	`envelope` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_events_order` ON `order_events` (`order_id`,`time`);--> statement-breakpoint
CREATE INDEX `order_events_store_time` ON `order_events` (`store_id`,`time`);--> statement-breakpoint
CREATE INDEX `order_events_time` ON `order_events` (`time`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`user_id` text NOT NULL,
	`number` integer,
	`state` text NOT NULL,
	`drink_id` text,
	`drink_name` text,
	`options` text NOT NULL,
	`name` text,
	`barista_id` text,
	`barista_name` text,
	`reason` text,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`expires_at` integer,
	`queued_at` integer,
	`claimed_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `orders_store_state` ON `orders` (`store_id`,`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_user` ON `orders` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_store_time` ON `orders` (`store_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `stores` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`open` integer NOT NULL,
	`version` integer NOT NULL,
	`view` text NOT NULL,
	`updated_at` integer NOT NULL
);
