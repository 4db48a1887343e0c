import type { Attendee, NoticeOrder, NoticeText } from "./en";
import { clock, hoursMinutes, inMinutes, plural, stepGap, timeOfDay, weekdayTime, wholeMinutes } from "./format";

/** Spanish: the attendee's words. */

const subject = (order: NoticeOrder): string => (order.number === null ? "Tu pedido" : `Pedido n.º ${order.number}`);
const which = (order: NoticeOrder): string => (order.drink ? `: ${order.drink}` : "");
const cup = (order: NoticeOrder): string =>
	order.name ? `Recógelo en la barra: el vaso dice ${order.name}.` : "Recógelo en la barra.";
const cancelled = (order: NoticeOrder): string => `${subject(order)} cancelado${which(order)}`;

const es: Attendee = {
	app: {
		name: "edgepresso",
		tagline: "Tu café, pedido desde el móvil.",
		skipToContent: "Saltar al contenido",
	},
	time: {
		clock,
		at: (iso: string) => weekdayTime("es", iso),
		hhmm: (ms: number) => hoursMinutes("es", ms),
	},
	live: {
		live: "En directo",
		connecting: "Conectando…",
		reconnecting: (since: string) => `Reconectando… sin actualizar desde las ${since}`,
		reconnectingBrief: "Reconectando…",
		offline: (since: string) => `Sin conexión desde las ${since}: se reconecta cuando vuelva la red`,
		offlineBrief: "Sin conexión",
		closed: "Desconectado",
	},
	language: {
		label: "Idioma",
	},
	order: {
		title: "Pide un café",
		starting: "Preparando tu pedido…",
		scanPrompt: "Escanea el código QR de la pantalla grande junto a la cafetería para hacer un pedido.",
		noStore: "Este enlace no lleva a ninguna cafetería. Vuelve a escanear el código QR de la pantalla grande.",
		timeLeft: "Tiempo para pedir",
		timeLeftAria: (clock: string) => `Te quedan ${clock} para hacer tu pedido`,
		timeUp: "Se acabó el tiempo para pedir. Vuelve a escanear el código QR para empezar de nuevo.",
		menuTitle: "Elige tu bebida",
		soldOut: "Agotado",
		optionalHint: "opcional",
		pickUpTo: (max: number) => `elige hasta ${max}`,
		nameLabel: "Nombre para el vaso",
		nameHint: "La pantalla muestra solo la primera palabra.",
		submit: (drink: string) => `Pedir ${drink}`,
		pickDrink: "Elige primero una bebida",
		submitting: "Enviando tu pedido…",
		switchedChoice: (group: string, sold: string, now: string) =>
			`${sold} se acaba de agotar: ${group.toLowerCase()} ahora es ${now}.`,
		drinkSoldOutNow: (drink: string) => `${drink} se acaba de agotar. Elige otra bebida.`,
		choiceSoldOutNow: (choice: string) => `${choice} se acaba de agotar.`,
		cancel: "Cancelar pedido",
		cancelConfirmTitle: "¿Cancelar este pedido?",
		cancelConfirmBody: "Tu lugar en la cola pasará a otra persona.",
		cancelConfirm: "Sí, cancelarlo",
		cancelKeep: "No, mantenerlo",
		history: "Mis pedidos",
		historyEmpty: "Aún no hay pedidos.",
		newOrderHint: "Para pedir otra bebida, vuelve a escanear el código QR de la pantalla grande.",
		storeClosed: "La cafetería está cerrada ahora mismo.",
		storePaused: "La cafetería ha pausado los pedidos un momento.",
		storeClosedStillYours: "La cafetería ya no acepta clientes nuevos, pero aún puedes hacer este pedido.",
		storePausedStillYours: "La cafetería ha pausado los pedidos, pero aún puedes hacer este.",
	},
	status: {
		AWAITING_ORDER: "Esperando tu elección",
		QUEUED: "En la cola",
		MAKING: "En preparación",
		READY: "Listo",
		CANCELLED: "Cancelado",
		TIMED_OUT: "Caducado",
		queuedHeadline: "Estás en la cola",
		position: (p: number) =>
			p === 1
				? "Eres el siguiente"
				: plural("es", p - 1, { one: "1 pedido antes que el tuyo", other: `${p - 1} pedidos antes que el tuyo` }),
		eta: (seconds: number) => `Listo ${inMinutes("es", seconds)}`,
		watchBoard: "Busca tu número en la pantalla grande.",
		makingHeadline: "Estamos preparando tu bebida",
		makingBy: (barista: string) => `${barista} la está preparando ahora.`,
		readyHeadline: (n: number) => `Listo: pedido n.º ${n}`,
		readyBody: "Recógelo en la barra. ¡Que lo disfrutes!",
		called: "El barista te está llamando: tu bebida te espera en la barra.",
		cancelledHeadline: "Pedido cancelado",
		timedOutHeadline: "Pedido caducado",
		reason: {
			customer: "Cancelaste este pedido.",
			barista: "El barista canceló este pedido. ¡Lo sentimos! Vuelve a pedir.",
			store_closed: "La cafetería cerró y canceló los pedidos abiertos.",
			customer_timeout: "¿Te cuesta decidir? Se acabó el tiempo para elegir.",
			barista_timeout: "Puede que a nuestros baristas se les haya pasado tu café. Vuelve a pedir.",
			burst: "La cafetería liberó pedidos abiertos a la vez y nunca elegidos. Vuelve a escanear el código para pedir.",
		},
	},
	push: {
		offer: "¿Quieres un aviso cuando tu bebida esté lista, aunque cierres esta página?",
		enable: "Avísame",
		enabling: "Activando los avisos…",
		enabled: "Te avisaremos cuando esté listo.",
		denied: "Los avisos están bloqueados para este sitio; deja esta página abierta para seguir tu pedido.",
		unsupported: "En iPhone, añade esta página a tu pantalla de inicio para recibir avisos.",
		failed: "No se pudieron activar los avisos; deja esta página abierta para seguir tu pedido.",
	},
	display: {
		title: (store: string) => `${store}: pantalla`,
		scanToOrder: "Escanea para pedir",
		drinksLeft: (n: number, total: number) =>
			plural("es", total, { one: `Queda ${n} de 1 bebida`, other: `Quedan ${n} de ${total} bebidas` }),
		timeLeft: (clock: string) => `El código caduca en ${clock}`,
		making: "¡Estamos preparando bebidas!",
		nextCodeIn: (clock: string) => `Nuevos pedidos en ${clock}`,
		nextCodeSoon: "Pronto aceptaremos nuevos pedidos",
		nextCode: (clock: string) => `Siguiente código en ${clock}`,
		nextCodeBody: "En un momento aparece aquí un código QR nuevo: escanéalo para pedir.",
		reconnecting: "Reconectando…",
		reconnectingBody: "El código QR vuelve en cuanto esta pantalla esté en directo otra vez.",
		stale: (since: string) => `Sin actualizar desde las ${since}`,
		screenMenu: "Ajustes de la pantalla",
		closed: "Cerrado",
		closedBody: "La cafetería no acepta pedidos ahora mismo.",
		paused: "En pausa",
		pausedBody: "Nos estamos poniendo al día. Nuevos pedidos en un momento.",
		preparing: "Preparando",
		ready: "Listo",
		nothingPreparing: "Nada en preparación",
		nothingReady: "Nada esperando",
		readyAnnounce: (n: number, name: string | null) =>
			name ? `El pedido ${n} de ${name} está listo` : `El pedido ${n} está listo`,
		callingAnnounce: (n: number, name: string | null) =>
			name ? `Llamando al pedido ${n} de ${name}: tu bebida te espera` : `Llamando al pedido ${n}: tu bebida te espera`,
		calling: "Llamando",
		ticket: (n: number, name: string | null) => (name ? `Pedido ${n}, ${name}` : `Pedido ${n}`),
	},
	notice: {
		ready: (order: NoticeOrder): NoticeText => ({ title: `${subject(order)} listo${which(order)}`, body: cup(order) }),
		called: (order: NoticeOrder): NoticeText => ({
			title: `${subject(order)} te está esperando${which(order)}`,
			body: `El barista te está llamando. ${cup(order)}`,
		}),
		ended: {
			customer: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "Cancelaste el pedido. Vuelve a escanear el código QR cuando quieras.",
			}),
			barista: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "El barista canceló el pedido. Pregunta en la barra.",
			}),
			store_closed: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "La cafetería cerró antes de preparar tu pedido. ¡Lo sentimos!",
			}),
			customer_timeout: (order: NoticeOrder): NoticeText => ({
				title: `${subject(order)} caducado`,
				body: "No elegiste una bebida a tiempo. Vuelve a escanear el código QR para pedir.",
			}),
			barista_timeout: (order: NoticeOrder): NoticeText => ({
				title: `Lo sentimos: ${subject(order).toLowerCase()} no estuvo listo a tiempo${which(order)}`,
				body: "Pregunta en la barra.",
			}),
			burst: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "La cafetería liberó pedidos abiertos a la vez y nunca elegidos. Vuelve a escanear el código QR para pedir.",
			}),
		},
	},
	journey: {
		title: "Recorrido del pedido",
		open: "Ver su recorrido",
		intro:
			"Cada evento por el que pasó tu pedido, desde el escaneo hasta la bebida lista, y los servicios que lo atendieron.",
		order: (n: number | null) => (n === null ? "Tu pedido" : `Pedido n.º ${n}`),
		scan: "Escaneo",
		loading: "Cargando el recorrido…",
		empty: "Aún no hay nada archivado: los primeros eventos están en camino.",
		inFlight: "Todavía en curso: los nuevos pasos aparecen a medida que se archivan.",
		done: "El recorrido completo.",
		share: "Compartir",
		shareTitle: "El recorrido de mi café",
		copied: "Enlace copiado.",
		copyFailed: "Copia el enlace de abajo.",
		linkLabel: "Enlace para compartir",
		noOrder: "Esta página necesita un pedido o un enlace compartido.",
		gone: "Este enlace ha caducado, o el recorrido ya no se conserva.",
		by: (service: string) => `por ${service}`,
		then: (consumers: string) => `luego ${consumers}`,
		gap: (ms: number) => stepGap("es", ms),
		at: (iso: string) => timeOfDay("es", iso),
	},
	eventBoard: {
		title: "Cafeterías",
		intro: "La cola de cada cafetería y cuánto tardaría una bebida pedida ahora.",
		loading: "Cargando las cafeterías…",
		unknown: "No hay ningún evento con ese id.",
		none: "Todavía no hay cafeterías.",
		waiting: (n: number) => plural("es", n, { one: "1 pedido en cola", other: `${n} pedidos en cola` }),
		wait: (seconds: number) => `unos ${wholeMinutes(seconds)} min`,
		closed: "Cerrada",
		quickest: "La más rápida",
		quicker: (bar: string, seconds: number) => `Más rápido ahora: ${bar}, unos ${wholeMinutes(seconds)} min`,
	},
	refusal: {
		store_closed: "La cafetería está cerrada ahora mismo. ¡Vuelve pronto!",
		store_paused: "La cafetería ha pausado los pedidos para ponerse al día. Inténtalo de nuevo en unos minutos.",
		code_exhausted: "Este código QR ya se ha agotado. Espera al siguiente en la pantalla grande.",
		code_expired: "Este código QR ha caducado. Escanea el nuevo en la pantalla grande.",
		code_invalid: "Ese código QR no es nuestro. Escanea el de la pantalla grande.",
		code_already_used: "Ya usaste este código QR. Espera al siguiente en la pantalla grande.",
		at_capacity: "Los baristas van a tope. Inténtalo de nuevo en unos minutos.",
		order_limit: "Has llegado al límite de bebidas de hoy. ¡Hasta mañana!",
		network_limit:
			"Tu red ya se llevó su parte de las bebidas de este código QR. Espera al siguiente en la pantalla grande.",
		sold_out: "Lo sentimos, parte del pedido se acaba de agotar. Vuelve a elegir.",
		illegal_transition: "Eso ya no se puede hacer: el pedido ha avanzado.",
		unauthenticated: "Tu sesión ha caducado. Inténtalo de nuevo.",
		forbidden: "No tienes permiso para hacer eso.",
		pin_invalid: "Ese PIN no es correcto.",
		pin_locked: "Demasiados PIN incorrectos. Espera un momento y vuelve a intentarlo.",
		challenge_required:
			"Necesitamos comprobar rápidamente que eres una persona antes de pedir. Recarga la página para intentarlo de nuevo.",
		challenge_failed: "La comprobación no ha funcionado. Recarga la página para intentarlo de nuevo.",
		pairing_code_invalid:
			"Ese código de emparejamiento no funciona: puede que haya caducado o ya se haya usado. Pide uno nuevo a un barista.",
		store_exists: "Ya hay una cafetería con ese id.",
		not_found: "No encontrado.",
		order_not_found: "No encontramos ese pedido. Puede que sea de otro móvil.",
		store_not_found: "No hay ninguna cafetería con ese id.",
		invalid_request: "Algo en esa petición no era correcto.",
		notPlainText:
			"Los nombres pueden llevar letras, números, espacios y signos de puntuación, pero ningún carácter oculto ni de control.",
		rate_limited: "Demasiados intentos. Espera un momento y vuelve a intentarlo.",
		network: "Sin conexión. Revisa el wifi o los datos móviles y vuelve a intentarlo.",
		timeout: "El servidor tardó demasiado en responder. Inténtalo de nuevo.",
		unknown: "Algo ha fallado. Inténtalo de nuevo.",
	},
};

export default es;
