import type { Attendee, NoticeOrder, NoticeText } from "./en";
import { clock, hoursMinutes, inMinutes, plural, stepGap, timeOfDay, weekdayTime, wholeMinutes } from "./format";

/** German: the attendee's words. */

const subject = (order: NoticeOrder): string =>
	order.number === null ? "Deine Bestellung" : `Bestellung Nr. ${order.number}`;
const which = (order: NoticeOrder): string => (order.drink ? `: ${order.drink}` : "");
const cup = (order: NoticeOrder): string =>
	order.name ? `Hol sie an der Theke ab: Auf dem Becher steht ${order.name}.` : "Hol sie an der Theke ab.";
const cancelled = (order: NoticeOrder): string => `${subject(order)} storniert${which(order)}`;

const de: Attendee = {
	app: {
		name: "edgepresso",
		tagline: "Kaffee, bestellt mit dem Handy.",
		skipToContent: "Zum Inhalt springen",
	},
	time: {
		clock,
		at: (iso: string) => weekdayTime("de", iso),
		hhmm: (ms: number) => hoursMinutes("de", ms),
	},
	live: {
		live: "Live",
		connecting: "Verbinde…",
		reconnecting: (since: string) => `Verbinde neu… nicht aktuell seit ${since}`,
		reconnectingBrief: "Verbinde neu…",
		offline: (since: string) => `Offline seit ${since}: verbindet sich wieder, sobald das Netz zurück ist`,
		offlineBrief: "Offline",
		closed: "Nicht verbunden",
	},
	language: {
		label: "Sprache",
	},
	order: {
		title: "Kaffee bestellen",
		starting: "Deine Bestellung wird vorbereitet…",
		scanPrompt: "Scanne den QR-Code auf dem großen Bildschirm an der Kaffeebar, um zu bestellen.",
		noStore: "Dieser Link führt zu keiner Kaffeebar. Scanne den QR-Code auf dem großen Bildschirm noch einmal.",
		timeLeft: "Zeit zum Bestellen",
		timeLeftAria: (clock: string) => `Noch ${clock} zum Bestellen`,
		timeUp: "Deine Zeit zum Bestellen ist abgelaufen. Scanne den QR-Code noch einmal, um neu zu beginnen.",
		menuTitle: "Wähle dein Getränk",
		soldOut: "Ausverkauft",
		optionalHint: "optional",
		pickUpTo: (max: number) => `bis zu ${max} wählen`,
		nameLabel: "Name für den Becher",
		nameHint: "Der Bildschirm zeigt nur das erste Wort.",
		submit: (drink: string) => `${drink} bestellen`,
		pickDrink: "Wähle zuerst ein Getränk",
		submitting: "Deine Bestellung wird gesendet…",
		switchedChoice: (group: string, sold: string, now: string) =>
			`${sold} ist gerade ausverkauft: ${group} ist jetzt ${now}.`,
		drinkSoldOutNow: (drink: string) => `${drink} ist gerade ausverkauft. Bitte wähle ein anderes Getränk.`,
		choiceSoldOutNow: (choice: string) => `${choice} ist gerade ausverkauft.`,
		cancel: "Bestellung stornieren",
		cancelConfirmTitle: "Diese Bestellung stornieren?",
		cancelConfirmBody: "Dein Platz in der Warteschlange geht an jemand anderen.",
		cancelConfirm: "Ja, stornieren",
		cancelKeep: "Nein, behalten",
		history: "Meine Bestellungen",
		historyEmpty: "Noch keine Bestellungen.",
		newOrderHint: "Für ein weiteres Getränk scanne den QR-Code auf dem großen Bildschirm noch einmal.",
		storeClosed: "Die Kaffeebar hat gerade geschlossen.",
		storePaused: "Die Kaffeebar nimmt kurz keine neuen Bestellungen an.",
		storeClosedStillYours:
			"Die Kaffeebar nimmt keine neuen Gäste mehr an, aber diese Bestellung kannst du noch aufgeben.",
		storePausedStillYours: "Die Kaffeebar nimmt kurz keine neuen Bestellungen an, aber diese kannst du noch aufgeben.",
	},
	status: {
		AWAITING_ORDER: "Wartet auf deine Wahl",
		QUEUED: "In der Warteschlange",
		MAKING: "In Zubereitung",
		READY: "Fertig",
		CANCELLED: "Storniert",
		TIMED_OUT: "Abgelaufen",
		queuedHeadline: "Du bist in der Warteschlange",
		position: (p: number) =>
			p === 1
				? "Du bist als Nächstes dran"
				: plural("de", p - 1, { one: "1 Bestellung vor dir", other: `${p - 1} Bestellungen vor dir` }),
		eta: (seconds: number) => `Fertig ${inMinutes("de", seconds)}`,
		watchBoard: "Achte auf deine Nummer auf dem großen Bildschirm.",
		makingHeadline: "Dein Getränk wird zubereitet",
		makingBy: (barista: string) => `${barista} macht es gerade.`,
		readyHeadline: (n: number) => `Fertig: Bestellung Nr. ${n}`,
		readyBody: "Hol es an der Theke ab. Lass es dir schmecken!",
		called: "Der Barista ruft dich: Dein Getränk wartet an der Theke.",
		cancelledHeadline: "Bestellung storniert",
		timedOutHeadline: "Bestellung abgelaufen",
		reason: {
			customer: "Du hast diese Bestellung storniert.",
			barista: "Der Barista hat diese Bestellung storniert. Tut uns leid! Bitte bestelle noch einmal.",
			store_closed: "Die Kaffeebar hat geschlossen und die offenen Bestellungen storniert.",
			customer_timeout: "Schwer zu entscheiden? Die Zeit zum Wählen ist abgelaufen.",
			barista_timeout: "Unsere Baristas haben deinen Kaffee vielleicht übersehen. Bitte bestelle noch einmal.",
			burst:
				"Die Kaffeebar hat Bestellungen freigegeben, die gleichzeitig geöffnet und nie gewählt wurden. Scanne den Code noch einmal, um zu bestellen.",
		},
	},
	push: {
		offer: "Möchtest du benachrichtigt werden, wenn dein Getränk fertig ist, auch wenn diese Seite zu ist?",
		enable: "Benachrichtige mich",
		enabling: "Benachrichtigungen werden aktiviert…",
		enabled: "Wir sagen dir Bescheid, sobald es fertig ist.",
		denied:
			"Benachrichtigungen sind für diese Seite blockiert; lass diese Seite offen, um deine Bestellung zu verfolgen.",
		unsupported: "Auf dem iPhone: Füge diese Seite zum Home-Bildschirm hinzu, um Benachrichtigungen zu bekommen.",
		failed:
			"Benachrichtigungen ließen sich nicht aktivieren; lass diese Seite offen, um deine Bestellung zu verfolgen.",
	},
	display: {
		title: (store: string) => `${store}: Anzeige`,
		scanToOrder: "Zum Bestellen scannen",
		drinksLeft: (n: number, total: number) =>
			plural("de", total, { one: `Noch ${n} von 1 Getränk`, other: `Noch ${n} von ${total} Getränken` }),
		timeLeft: (clock: string) => `Code gilt noch ${clock}`,
		making: "Wir machen Getränke!",
		nextCodeIn: (clock: string) => `Neue Bestellungen in ${clock}`,
		nextCodeSoon: "Bald nehmen wir wieder Bestellungen an",
		nextCode: (clock: string) => `Nächster Code in ${clock}`,
		nextCodeBody: "Gleich erscheint hier ein neuer QR-Code: Scanne ihn, um zu bestellen.",
		reconnecting: "Verbinde neu…",
		reconnectingBody: "Der QR-Code kommt zurück, sobald dieser Bildschirm wieder live ist.",
		stale: (since: string) => `Nicht aktuell seit ${since}`,
		screenMenu: "Bildschirmeinstellungen",
		closed: "Geschlossen",
		closedBody: "Die Kaffeebar nimmt gerade keine Bestellungen an.",
		paused: "Pause",
		pausedBody: "Wir holen gerade auf. Gleich geht es weiter.",
		preparing: "In Arbeit",
		ready: "Fertig",
		nothingPreparing: "Gerade nichts in Arbeit",
		nothingReady: "Nichts wartet",
		readyAnnounce: (n: number, name: string | null) =>
			name ? `Bestellung ${n} für ${name} ist fertig` : `Bestellung ${n} ist fertig`,
		callingAnnounce: (n: number, name: string | null) =>
			name ? `Bestellung ${n} für ${name}: Dein Getränk wartet` : `Bestellung ${n}: Dein Getränk wartet`,
		calling: "Aufruf",
		ticket: (n: number, name: string | null) => (name ? `Bestellung ${n}, ${name}` : `Bestellung ${n}`),
	},
	notice: {
		ready: (order: NoticeOrder): NoticeText => ({
			title: `${subject(order)} ist fertig${which(order)}`,
			body: cup(order),
		}),
		called: (order: NoticeOrder): NoticeText => ({
			title: `${subject(order)} wartet auf dich${which(order)}`,
			body: `Der Barista ruft dich. ${cup(order)}`,
		}),
		ended: {
			customer: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "Du hast die Bestellung storniert. Scanne den QR-Code einfach wieder, wann du magst.",
			}),
			barista: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "Der Barista hat die Bestellung storniert. Bitte frag an der Theke nach.",
			}),
			store_closed: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "Die Kaffeebar hat geschlossen, bevor deine Bestellung fertig war. Tut uns leid!",
			}),
			customer_timeout: (order: NoticeOrder): NoticeText => ({
				title: `${subject(order)} abgelaufen`,
				body: "Du hast nicht rechtzeitig ein Getränk gewählt. Scanne den QR-Code noch einmal, um zu bestellen.",
			}),
			barista_timeout: (order: NoticeOrder): NoticeText => ({
				title: `Tut uns leid: ${subject(order)} wurde nicht rechtzeitig fertig${which(order)}`,
				body: "Bitte frag an der Theke nach.",
			}),
			burst: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "Die Kaffeebar hat Bestellungen freigegeben, die gleichzeitig geöffnet und nie gewählt wurden. Scanne den QR-Code noch einmal, um zu bestellen.",
			}),
		},
	},
	journey: {
		title: "Weg der Bestellung",
		open: "Ihren Weg ansehen",
		intro:
			"Jedes Ereignis, das Ihre Bestellung durchlaufen hat, vom Scan bis zum fertigen Getränk, und die Dienste, die sie bearbeitet haben.",
		order: (n: number | null) => (n === null ? "Ihre Bestellung" : `Bestellung Nr. ${n}`),
		scan: "Scan",
		loading: "Weg wird geladen…",
		empty: "Noch nichts archiviert: Die ersten Ereignisse sind unterwegs.",
		inFlight: "Noch in Arbeit: Neue Schritte erscheinen, sobald sie archiviert sind.",
		done: "Der ganze Weg.",
		share: "Teilen",
		shareTitle: "Der Weg meines Kaffees",
		copied: "Link kopiert.",
		copyFailed: "Kopieren Sie den Link unten.",
		linkLabel: "Link zum Teilen",
		noOrder: "Diese Seite braucht eine Bestellung oder einen geteilten Link.",
		gone: "Dieser Link ist abgelaufen, oder der Weg wird nicht mehr aufbewahrt.",
		by: (service: string) => `von ${service}`,
		then: (consumers: string) => `dann ${consumers}`,
		gap: (ms: number) => stepGap("de", ms),
		at: (iso: string) => timeOfDay("de", iso),
	},
	eventBoard: {
		title: "Kaffeebars",
		intro: "Die Warteschlange jeder Bar und wie lange ein jetzt bestelltes Getränk dauern würde.",
		loading: "Bars werden geladen…",
		unknown: "Es gibt keine Veranstaltung mit dieser Kennung.",
		none: "Noch keine Kaffeebars.",
		waiting: (n: number) => plural("de", n, { one: "1 Bestellung wartet", other: `${n} Bestellungen warten` }),
		wait: (seconds: number) => `etwa ${wholeMinutes(seconds)} Min.`,
		closed: "Geschlossen",
		quickest: "Am schnellsten",
		quicker: (bar: string, seconds: number) => `Jetzt schneller: ${bar}, etwa ${wholeMinutes(seconds)} Min.`,
	},
	refusal: {
		store_closed: "Die Kaffeebar hat gerade geschlossen. Komm bald wieder!",
		store_paused:
			"Die Kaffeebar nimmt kurz keine Bestellungen an, um aufzuholen. Versuch es in ein paar Minuten noch einmal.",
		code_exhausted: "Dieser QR-Code ist aufgebraucht. Warte auf den nächsten auf dem großen Bildschirm.",
		code_expired: "Dieser QR-Code ist abgelaufen. Scanne den neuen auf dem großen Bildschirm.",
		code_invalid: "Dieser QR-Code ist nicht von uns. Scanne den Code auf dem großen Bildschirm.",
		code_already_used: "Diesen QR-Code hast du schon benutzt. Warte auf den nächsten auf dem großen Bildschirm.",
		at_capacity: "Die Baristas haben alle Hände voll zu tun. Versuch es in ein paar Minuten noch einmal.",
		order_limit: "Du hast dein Tageslimit an Getränken erreicht. Bis morgen!",
		network_limit:
			"Dein Netzwerk hat seinen Anteil an den Getränken dieses QR-Codes schon bekommen. Warte auf den nächsten Code auf dem großen Bildschirm.",
		sold_out: "Tut uns leid, ein Teil der Bestellung ist gerade ausverkauft. Bitte wähle neu.",
		illegal_transition: "Das geht nicht mehr: Die Bestellung ist schon weiter.",
		unauthenticated: "Deine Sitzung ist abgelaufen. Bitte versuch es noch einmal.",
		forbidden: "Das darfst du nicht.",
		pin_invalid: "Diese PIN stimmt nicht.",
		pin_locked: "Zu viele falsche PINs. Warte kurz und versuch es noch einmal.",
		challenge_required:
			"Vor der Bestellung prüfen wir kurz, ob du ein Mensch bist. Lade die Seite neu, um es noch einmal zu versuchen.",
		challenge_failed: "Die Prüfung hat nicht geklappt. Lade die Seite neu, um es noch einmal zu versuchen.",
		pairing_code_invalid:
			"Dieser Kopplungscode funktioniert nicht: Er ist vielleicht abgelaufen oder schon benutzt. Bitte einen Barista um einen neuen.",
		store_exists: "Es gibt schon eine Kaffeebar mit dieser ID.",
		not_found: "Nicht gefunden.",
		order_not_found: "Diese Bestellung finden wir nicht. Vielleicht gehört sie zu einem anderen Handy.",
		store_not_found: "Es gibt keine Kaffeebar mit dieser ID.",
		invalid_request: "Etwas an dieser Anfrage stimmte nicht.",
		notPlainText:
			"Namen dürfen Buchstaben, Ziffern, Leerzeichen und Satzzeichen enthalten, aber keine versteckten oder Steuerzeichen.",
		rate_limited: "Zu viele Versuche. Warte kurz und versuch es noch einmal.",
		network: "Keine Verbindung. Prüfe WLAN oder mobile Daten und versuch es noch einmal.",
		timeout: "Der Server hat zu lange gebraucht. Versuch es noch einmal.",
		unknown: "Etwas ist schiefgelaufen. Bitte versuch es noch einmal.",
	},
};

export default de;
