/**
 * Stand-ins for an order's attendee id where no attendee session stands behind it. Session ids are random
 * UUIDs, so no session can ever be one of these. (No zod here: the front ends import it.)
 */

/** What an order's attendee id becomes when the attendee asks to be forgotten. */
export const forgottenUserId = "forgotten";

/** The attendee of a walk-up order: someone at the counter without a phone, whose drink the barista entered. */
export const walkUpUserId = "walk-up";
