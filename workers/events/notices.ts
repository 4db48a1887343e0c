import type { EdgeEvent, EventType } from "../../contract/events";
import type { EndReason, Order } from "../../contract/order";
import { orderFollowPath, type PushNotice } from "../../contract/push";

/** What an attendee's phone says when their order ends, or the barista calls for it, in words a person understands. */

/** The events worth waking a phone for: those that end an order, and a barista calling for a ready drink. */
export const noticeEvents = [
	"OrderManager.OrderCompleted",
	"OrderManager.OrderCancelled",
	"OrderProcessor.OrderTimeOut",
	"OrderManager.CustomerReminded",
] as const satisfies readonly EventType[];

type NoticeEvent = EdgeEvent<(typeof noticeEvents)[number]>;
const isNoticeEvent = (event: EdgeEvent): event is NoticeEvent => (noticeEvents as readonly string[]).includes(event.type);

type Ended = Pick<Order, "number" | "drink" | "name">;

const ofOrder = (order: Ended): string => (order.number === null ? "" : ` — order #${order.number}`);
const yourDrink = (order: Ended): string => (order.drink ? `your ${order.drink.name}` : "your order");
const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const cancelled = (order: Ended): string => `${capitalised(yourDrink(order))} was cancelled${ofOrder(order)}`;

const endings: Record<EndReason, (order: Ended) => { title: string; body: string }> = {
	customer: (order) => ({
		title: cancelled(order),
		body: `You cancelled ${yourDrink(order)}. Scan the QR code again whenever you like.`,
	}),
	barista: (order) => ({
		title: cancelled(order),
		body: `The barista cancelled ${yourDrink(order)}. Please ask at the bar.`,
	}),
	store_closed: (order) => ({
		title: cancelled(order),
		body: `The coffee bar closed before ${yourDrink(order)} could be made. Sorry!`,
	}),
	customer_timeout: (order) => ({
		title: `${capitalised(yourDrink(order))} expired`,
		body: "You did not choose a drink in time. Scan the QR code again to order.",
	}),
	barista_timeout: (order) => ({
		title: `Sorry, ${yourDrink(order)} was not made in time${ofOrder(order)}`,
		body: "Please ask at the bar.",
	}),
	burst: (order) => ({
		title: `${capitalised(yourDrink(order))} was cancelled`,
		body: "The coffee bar let go of orders opened at once and never chosen. Scan the QR code again to order.",
	}),
};

/** The notice for an event, or null when the event is not one an attendee is told about. */
export function noticeFor(event: EdgeEvent): PushNotice | null {
	if (!isNoticeEvent(event)) return null;
	const order = event.detail.order;
	const about = { orderId: order.id, storeId: order.storeId, number: order.number, state: order.state, reason: order.reason };
	const url = orderFollowPath(order.storeId, order.id);
	if (order.state === "READY") {
		const cup = order.name ? `Collect it at the bar: the cup says ${order.name}.` : "Collect it at the bar.";
		if (event.type === "OrderManager.CustomerReminded") {
			return { title: `${capitalised(yourDrink(order))} is waiting for you${ofOrder(order)}`, body: `The barista is calling for you. ${cup}`, ...about, url };
		}
		return { title: `${capitalised(yourDrink(order))} is ready${ofOrder(order)}`, body: cup, ...about, url };
	}
	// An order ends without a drink only with a reason; the workflow always records one.
	return order.reason ? { ...endings[order.reason](order), ...about, url } : null;
}
