import { clock, englishLocale, hoursMinutes, plural, stepGap, timeOfDay, weekdayTime, wholeMinutes } from "./format";

/**
 * The words attendees read (phone, display, push notices), in English: the catalog every other language
 * follows, section by section (`attendeeSections`), and a translation missing one of its keys does not compile.
 * Staff screens' words, English only, are in ./staff.ts.
 */

/** An order as a push notice names it. */
export interface NoticeOrder {
	drink: string | null;
	number: number | null;
	name: string | null;
}

/** A push notice's words. */
export interface NoticeText {
	title: string;
	body: string;
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const yourDrink = (order: NoticeOrder): string => (order.drink ? `your ${order.drink}` : "your order");
const ofOrder = (order: NoticeOrder): string => (order.number === null ? "" : ` — order #${order.number}`);
const cancelled = (order: NoticeOrder): string => `${capitalised(yourDrink(order))} was cancelled${ofOrder(order)}`;
const cup = (order: NoticeOrder): string =>
	order.name ? `Collect it at the bar: the cup says ${order.name}.` : "Collect it at the bar.";

const en = {
	app: {
		name: "edgepresso",
		tagline: "Coffee, ordered from your phone.",
		skipToContent: "Skip to content",
	},
	time: {
		clock,
		at: (iso: string) => weekdayTime(englishLocale(), iso),
		/** hh:mm, for "since when". */
		hhmm: (ms: number) => hoursMinutes(englishLocale(), ms),
	},
	live: {
		live: "Live",
		connecting: "Connecting…",
		reconnecting: (since: string) => `Reconnecting… not live since ${since}`,
		reconnectingBrief: "Reconnecting…",
		offline: (since: string) => `Offline since ${since} — reconnects when the network is back`,
		offlineBrief: "Offline",
		closed: "Not connected",
	},
	language: {
		label: "Language",
	},
	order: {
		title: "Order a coffee",
		starting: "Getting your order ready…",
		scanPrompt: "Scan the QR code on the big screen by the coffee bar to start an order.",
		noStore: "This link has no coffee bar in it. Scan the QR code on the big screen again.",
		timeLeft: "Time left to order",
		timeLeftAria: (clock: string) => `${clock} left to place your order`,
		timeUp: "Your time to order ran out. Scan the QR code again to start over.",
		menuTitle: "Choose your drink",
		soldOut: "Sold out",
		optionalHint: "optional",
		pickUpTo: (max: number) => `pick up to ${max}`,
		nameLabel: "Name for the cup",
		nameHint: "The board shows only the first word.",
		submit: (drink: string) => `Order ${drink}`,
		pickDrink: "Pick a drink first",
		submitting: "Sending your order…",
		switchedChoice: (group: string, sold: string, now: string) =>
			`${sold} just sold out: your ${group.toLowerCase()} is now ${now}.`,
		drinkSoldOutNow: (drink: string) => `${drink} just sold out. Please pick another drink.`,
		choiceSoldOutNow: (choice: string) => `${choice} just sold out.`,
		cancel: "Cancel order",
		cancelConfirmTitle: "Cancel this order?",
		cancelConfirmBody: "Your place in the queue will be given to someone else.",
		cancelConfirm: "Yes, cancel it",
		cancelKeep: "No, keep it",
		history: "My orders",
		historyEmpty: "No orders yet.",
		newOrderHint: "To order another drink, scan the QR code on the big screen again.",
		storeClosed: "The coffee bar is closed right now.",
		storePaused: "The coffee bar has paused new orders for a moment.",
		storeClosedStillYours: "The coffee bar has closed to new customers, but you can still place this order.",
		storePausedStillYours: "The coffee bar has paused new orders, but you can still place this one.",
	},
	status: {
		AWAITING_ORDER: "Waiting for your choice",
		QUEUED: "In the queue",
		MAKING: "Being made",
		READY: "Ready",
		CANCELLED: "Cancelled",
		TIMED_OUT: "Timed out",
		queuedHeadline: "You're in the queue",
		position: (p: number) =>
			p === 1
				? "You're next"
				: plural("en", p - 1, { one: "1 order ahead of you", other: `${p - 1} orders ahead of you` }),
		// An estimate, and said as one.
		eta: (seconds: number) =>
			`Ready in about ${plural("en", wholeMinutes(seconds), { one: "a minute", other: `${wholeMinutes(seconds)} minutes` })}`,
		watchBoard: "Look out for your number on the big screen.",
		makingHeadline: "Your drink is being made",
		makingBy: (barista: string) => `${barista} is making it now.`,
		readyHeadline: (n: number) => `Ready — order #${n}`,
		readyBody: "Collect it at the coffee bar. Enjoy!",
		called: "The barista is calling for you: your drink is waiting at the bar.",
		cancelledHeadline: "Order cancelled",
		timedOutHeadline: "Order timed out",
		reason: {
			customer: "You cancelled this order.",
			barista: "The barista cancelled this order. Sorry! Please order again.",
			store_closed: "The coffee bar closed and cancelled the open orders.",
			customer_timeout: "Having trouble deciding? The time to choose ran out.",
			barista_timeout: "Our baristas might have missed your coffee. Please order again.",
			burst: "The coffee bar let go of orders that were opened at once and never chosen. Scan the code again to order.",
		},
	},
	push: {
		offer: "Get a notification when your drink is ready, even with this page closed?",
		enable: "Notify me",
		enabling: "Turning on notifications…",
		enabled: "We'll notify you when it's ready.",
		denied: "Notifications are blocked for this site; keep this page open to follow your order.",
		unsupported: "On iPhone, add this page to your Home Screen to get notifications.",
		failed: "Notifications could not be turned on; keep this page open to follow your order.",
	},
	display: {
		title: (store: string) => `${store} — display`,
		scanToOrder: "Scan to order",
		drinksLeft: (n: number, total: number) =>
			plural("en", total, { one: `${n} of 1 drink left`, other: `${n} of ${total} drinks left` }),
		timeLeft: (clock: string) => `${clock} left for this code`,
		making: "We are making drinks!",
		nextCodeIn: (clock: string) => `New orders in ${clock}`,
		nextCodeSoon: "We will accept new orders soon",
		nextCode: (clock: string) => `Next code in ${clock}`,
		nextCodeBody: "A fresh QR code shows here in a moment: scan it to order.",
		reconnecting: "Reconnecting…",
		reconnectingBody: "The QR code comes back as soon as this screen is live again.",
		stale: (since: string) => `Not updated since ${since}`,
		screenMenu: "Screen settings",
		closed: "Closed",
		closedBody: "The coffee bar is not taking orders right now.",
		paused: "Paused",
		pausedBody: "We are catching up. New orders in a moment.",
		preparing: "Preparing",
		ready: "Ready",
		nothingPreparing: "Nothing in the making",
		nothingReady: "Nothing waiting",
		readyAnnounce: (n: number, name: string | null) =>
			name ? `Order ${n} for ${name} is ready` : `Order ${n} is ready`,
		callingAnnounce: (n: number, name: string | null) =>
			name ? `Calling order ${n} for ${name}: your drink is waiting` : `Calling order ${n}: your drink is waiting`,
		calling: "Calling",
		ticket: (n: number, name: string | null) => (name ? `Order ${n}, ${name}` : `Order ${n}`),
	},
	notice: {
		ready: (order: NoticeOrder): NoticeText => ({
			title: `${capitalised(yourDrink(order))} is ready${ofOrder(order)}`,
			body: cup(order),
		}),
		called: (order: NoticeOrder): NoticeText => ({
			title: `${capitalised(yourDrink(order))} is waiting for you${ofOrder(order)}`,
			body: `The barista is calling for you. ${cup(order)}`,
		}),
		ended: {
			customer: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: `You cancelled ${yourDrink(order)}. Scan the QR code again whenever you like.`,
			}),
			barista: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: `The barista cancelled ${yourDrink(order)}. Please ask at the bar.`,
			}),
			store_closed: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: `The coffee bar closed before ${yourDrink(order)} could be made. Sorry!`,
			}),
			customer_timeout: (order: NoticeOrder): NoticeText => ({
				title: `${capitalised(yourDrink(order))} expired`,
				body: "You did not choose a drink in time. Scan the QR code again to order.",
			}),
			barista_timeout: (order: NoticeOrder): NoticeText => ({
				title: `Sorry, ${yourDrink(order)} was not made in time${ofOrder(order)}`,
				body: "Please ask at the bar.",
			}),
			burst: (order: NoticeOrder): NoticeText => ({
				title: `${capitalised(yourDrink(order))} was cancelled`,
				body: "The coffee bar let go of orders opened at once and never chosen. Scan the QR code again to order.",
			}),
		},
	},
	journey: {
		title: "Order journey",
		/** The link from an order (the phone's ready screen and history, a ticket's menu). */
		open: "See its journey",
		intro: "Every event your order went through, from the scan to the ready drink, and the services that handled it.",
		order: (n: number | null) => (n === null ? "Your order" : `Order #${n}`),
		scan: "Scan",
		loading: "Loading the journey…",
		empty: "Nothing archived yet: the first events are on their way.",
		inFlight: "Still in progress: new steps appear as they are archived.",
		done: "The whole journey.",
		share: "Share",
		shareTitle: "My coffee's journey",
		copied: "Link copied.",
		copyFailed: "Copy the link below.",
		linkLabel: "Share link",
		noOrder: "This page needs an order or a share link.",
		gone: "This journey link has expired, or the journey is no longer kept.",
		by: (service: string) => `by ${service}`,
		then: (consumers: string) => `then ${consumers}`,
		/** The time between two steps, e.g. "+1.2 s" or "+3 min 5 s". */
		gap: (ms: number) => stepGap("en", ms),
		at: (iso: string) => timeOfDay(englishLocale(), iso),
	},
	/** The public board of a venue event (/event?id=…): each bar's queue and wait. */
	eventBoard: {
		title: "Coffee bars",
		intro: "Each bar's queue, and how long a drink ordered now would take.",
		loading: "Loading the bars…",
		unknown: "There is no event with that id.",
		none: "No coffee bars yet.",
		waiting: (n: number) => plural("en", n, { one: "1 order waiting", other: `${n} orders waiting` }),
		wait: (seconds: number) => `about ${wholeMinutes(seconds)} min`,
		closed: "Closed",
		quickest: "Quickest",
		/** On the order page, when another bar of the event is quicker than this one. */
		quicker: (bar: string, seconds: number) => `Quicker now: ${bar}, about ${wholeMinutes(seconds)} min`,
	},
	refusal: {
		store_closed: "The coffee bar is closed right now. Come back soon!",
		store_paused: "The coffee bar has paused new orders to catch up. Try again in a few minutes.",
		code_exhausted: "This QR code has been used up. Wait for the next one on the big screen.",
		code_expired: "This QR code has expired. Scan the new one on the big screen.",
		code_invalid: "That QR code is not one of ours. Scan the code on the big screen.",
		code_already_used: "You already used this QR code. Wait for the next one on the big screen.",
		at_capacity: "The baristas have their hands full. Try again in a few minutes.",
		order_limit: "You have reached today's limit of drinks. See you tomorrow!",
		network_limit: "Your network has had its share of this QR code's drinks. Wait for the next code on the big screen.",
		sold_out: "Sorry, part of that order just sold out. Please choose again.",
		illegal_transition: "That can't be done any more: the order has moved on.",
		unauthenticated: "Your session has expired. Please try again.",
		forbidden: "You are not allowed to do that.",
		pin_invalid: "That PIN is not right.",
		pin_locked: "Too many wrong PINs. Wait a moment and try again.",
		challenge_required: "We need a quick check that you are a person before you order. Reload the page to try again.",
		challenge_failed: "The quick check did not pass. Reload the page to try again.",
		pairing_code_invalid:
			"That pairing code does not work: it may have expired or been used. Ask a barista for a new one.",
		store_exists: "There is already a coffee bar with that id.",
		not_found: "Not found.",
		order_not_found: "We can't find that order. It may belong to another phone.",
		store_not_found: "There is no coffee bar with that id.",
		invalid_request: "Something in that request was not right.",
		notPlainText: "Names can hold letters, digits, spaces and punctuation, but no hidden or control characters.",
		rate_limited: "Too many tries. Wait a moment and try again.",
		network: "No connection. Check your Wi-Fi or mobile data and try again.",
		timeout: "The server took too long to answer. Try again.",
		unknown: "Something went wrong. Please try again.",
	},
};

export type Attendee = typeof en;

/** The sections attendees read: every language has them all. */
export const attendeeSections = [
	"app",
	"time",
	"live",
	"language",
	"order",
	"status",
	"push",
	"display",
	"notice",
	"journey",
	"eventBoard",
	"refusal",
] as const satisfies readonly (keyof Attendee)[];

export default en;
