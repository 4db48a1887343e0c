import de from "#i18n/de";
import en, { type Attendee } from "#i18n/en";
import es from "#i18n/es";
import fr from "#i18n/fr";
import ja from "#i18n/ja";
import pt from "#i18n/pt";
import type { EdgeEvent, EventType } from "#contract/events.ts";
import { orderFollowPath, type PushNotice } from "#contract/push.ts";
import type { Language } from "#contract/store.ts";

/**
 * What an attendee's phone says when their order ends, or the barista calls for it, in words a person
 * understands and in the language of the phone that subscribed (the words are the front end's catalog).
 */

/** The events worth waking a phone for: those that end an order, and a barista calling for a ready drink. */
export const noticeEvents = [
	"OrderManager.OrderCompleted",
	"OrderManager.OrderCancelled",
	"OrderProcessor.OrderTimeOut",
	"OrderManager.CustomerReminded",
] as const satisfies readonly EventType[];

type NoticeEvent = EdgeEvent<(typeof noticeEvents)[number]>;
const isNoticeEvent = (event: EdgeEvent): event is NoticeEvent =>
	(noticeEvents as readonly string[]).includes(event.type);

const catalogs: Record<Language, Attendee> = { en, pt, es, fr, de, ja };

/** The notice for an event in `lang`, or null when the event is not one an attendee is told about. */
export function noticeFor(event: EdgeEvent, lang: Language = "en"): PushNotice | null {
	if (!isNoticeEvent(event)) return null;
	const order = event.detail.order;
	const words = catalogs[lang].notice;
	const named = { drink: order.drink?.name ?? null, number: order.number, name: order.name };
	const about = {
		orderId: order.id,
		storeId: order.storeId,
		number: order.number,
		state: order.state,
		reason: order.reason,
	};
	const url = orderFollowPath(order.storeId, order.id);
	if (order.state === "READY") {
		const text = event.type === "OrderManager.CustomerReminded" ? words.called(named) : words.ready(named);
		return { ...text, ...about, url };
	}
	// An order ends without a drink only with a reason; the workflow always records one.
	return order.reason ? { ...words.ended[order.reason](named), ...about, url } : null;
}
