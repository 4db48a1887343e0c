import type { Attendee, NoticeOrder, NoticeText } from "./en";
import { clock, hoursMinutes, inMinutes, plural, stepGap, timeOfDay, weekdayTime, wholeMinutes } from "./format";

/** French: the attendee's words, with the no-break spaces French puts before « : ; ? ! » (\u00a0, \u202f). */

const subject = (order: NoticeOrder): string =>
	order.number === null ? "Votre commande" : `Commande nº ${order.number}`;
const which = (order: NoticeOrder): string => (order.drink ? `\u00a0: ${order.drink}` : "");
const cup = (order: NoticeOrder): string =>
	order.name ? `À récupérer au comptoir\u00a0: le gobelet dit ${order.name}.` : "À récupérer au comptoir.";
const cancelled = (order: NoticeOrder): string => `${subject(order)} annulée${which(order)}`;

const fr: Attendee = {
	app: {
		name: "edgepresso",
		tagline: "Votre café, commandé depuis votre téléphone.",
		skipToContent: "Aller au contenu",
	},
	time: {
		clock,
		at: (iso: string) => weekdayTime("fr", iso),
		hhmm: (ms: number) => hoursMinutes("fr", ms),
	},
	live: {
		live: "En direct",
		connecting: "Connexion…",
		reconnecting: (since: string) => `Reconnexion… pas à jour depuis ${since}`,
		reconnectingBrief: "Reconnexion…",
		offline: (since: string) => `Hors ligne depuis ${since}\u00a0: reconnexion dès le retour du réseau`,
		offlineBrief: "Hors ligne",
		closed: "Non connecté",
	},
	language: {
		label: "Langue",
	},
	order: {
		title: "Commander un café",
		starting: "Nous préparons votre commande…",
		scanPrompt: "Scannez le QR code affiché sur le grand écran du bar à café pour commander.",
		noStore: "Ce lien ne mène à aucun bar à café. Scannez de nouveau le QR code du grand écran.",
		timeLeft: "Temps restant pour commander",
		timeLeftAria: (clock: string) => `Encore ${clock} pour passer votre commande`,
		timeUp: "Le temps pour commander est écoulé. Scannez de nouveau le QR code pour recommencer.",
		menuTitle: "Choisissez votre boisson",
		soldOut: "Épuisé",
		optionalHint: "facultatif",
		pickUpTo: (max: number) => `jusqu’à ${max} au choix`,
		nameLabel: "Prénom pour le gobelet",
		nameHint: "L’écran n’affiche que le premier mot.",
		submit: (drink: string) => `Commander ${drink}`,
		pickDrink: "Choisissez d’abord une boisson",
		submitting: "Envoi de votre commande…",
		switchedChoice: (group: string, sold: string, now: string) =>
			`${sold} vient d’être épuisé\u00a0: ${group.toLowerCase()} passe à ${now}.`,
		drinkSoldOutNow: (drink: string) => `${drink} vient d’être épuisé. Choisissez une autre boisson.`,
		choiceSoldOutNow: (choice: string) => `${choice} vient d’être épuisé.`,
		cancel: "Annuler la commande",
		cancelConfirmTitle: "Annuler cette commande\u202f?",
		cancelConfirmBody: "Votre place dans la file ira à quelqu’un d’autre.",
		cancelConfirm: "Oui, annuler",
		cancelKeep: "Non, la garder",
		history: "Mes commandes",
		historyEmpty: "Pas encore de commande.",
		newOrderHint: "Pour une autre boisson, scannez de nouveau le QR code du grand écran.",
		storeClosed: "Le bar à café est fermé pour le moment.",
		storePaused: "Le bar à café a mis les commandes en pause un instant.",
		storeClosedStillYours:
			"Le bar à café n’accepte plus de nouveaux clients, mais vous pouvez encore passer cette commande.",
		storePausedStillYours: "Le bar à café a mis les commandes en pause, mais vous pouvez encore passer celle-ci.",
	},
	status: {
		AWAITING_ORDER: "En attente de votre choix",
		QUEUED: "Dans la file",
		MAKING: "En préparation",
		READY: "Prête",
		CANCELLED: "Annulée",
		TIMED_OUT: "Expirée",
		queuedHeadline: "Vous êtes dans la file",
		position: (p: number) =>
			p === 1
				? "C’est bientôt à vous"
				: plural("fr", p - 1, { one: "1 commande avant la vôtre", other: `${p - 1} commandes avant la vôtre` }),
		eta: (seconds: number) => `Prête ${inMinutes("fr", seconds)}`,
		watchBoard: "Guettez votre numéro sur le grand écran.",
		makingHeadline: "Votre boisson est en préparation",
		makingBy: (barista: string) => `${barista} la prépare en ce moment.`,
		readyHeadline: (n: number) => `Prête\u00a0: commande nº ${n}`,
		readyBody: "À récupérer au comptoir. Bonne dégustation\u202f!",
		called: "Le barista vous appelle\u00a0: votre boisson vous attend au comptoir.",
		cancelledHeadline: "Commande annulée",
		timedOutHeadline: "Commande expirée",
		reason: {
			customer: "Vous avez annulé cette commande.",
			barista: "Le barista a annulé cette commande. Désolés\u202f! Merci de commander à nouveau.",
			store_closed: "Le bar à café a fermé et annulé les commandes en cours.",
			customer_timeout: "Difficile de choisir\u202f? Le temps pour commander est écoulé.",
			barista_timeout: "Nos baristas ont peut-être oublié votre café. Merci de commander à nouveau.",
			burst:
				"Le bar à café a libéré des commandes ouvertes en même temps et jamais choisies. Scannez de nouveau le code pour commander.",
		},
	},
	push: {
		offer: "Recevoir une notification quand votre boisson est prête, même page fermée\u202f?",
		enable: "Me prévenir",
		enabling: "Activation des notifications…",
		enabled: "Nous vous préviendrons dès qu’elle est prête.",
		denied: "Les notifications sont bloquées pour ce site\u202f; gardez cette page ouverte pour suivre votre commande.",
		unsupported: "Sur iPhone, ajoutez cette page à l’écran d’accueil pour recevoir les notifications.",
		failed: "Impossible d’activer les notifications\u202f; gardez cette page ouverte pour suivre votre commande.",
	},
	display: {
		title: (store: string) => `${store}\u00a0: écran`,
		scanToOrder: "Scannez pour commander",
		drinksLeft: (n: number, total: number) =>
			plural("fr", total, {
				one: `Encore ${n} boisson sur 1`,
				other: `Encore ${n} ${plural("fr", n, { one: "boisson", other: "boissons" })} sur ${total}`,
			}),
		timeLeft: (clock: string) => `Code valable encore ${clock}`,
		making: "On prépare les boissons\u202f!",
		nextCodeIn: (clock: string) => `Nouvelles commandes dans ${clock}`,
		nextCodeSoon: "Nous reprenons les commandes très bientôt",
		nextCode: (clock: string) => `Prochain code dans ${clock}`,
		nextCodeBody: "Un nouveau QR code s’affiche ici dans un instant\u00a0: scannez-le pour commander.",
		reconnecting: "Reconnexion…",
		reconnectingBody: "Le QR code revient dès que cet écran est de nouveau en direct.",
		stale: (since: string) => `Pas à jour depuis ${since}`,
		screenMenu: "Réglages de l’écran",
		closed: "Fermé",
		closedBody: "Le bar à café ne prend pas de commandes pour le moment.",
		paused: "En pause",
		pausedBody: "On rattrape notre retard. Nouvelles commandes dans un instant.",
		preparing: "En cours",
		ready: "Prêtes",
		nothingPreparing: "Rien en cours",
		nothingReady: "Rien en attente",
		readyAnnounce: (n: number, name: string | null) =>
			name ? `La commande ${n} de ${name} est prête` : `La commande ${n} est prête`,
		callingAnnounce: (n: number, name: string | null) =>
			name
				? `Commande ${n} pour ${name}\u00a0: votre boisson vous attend`
				: `Commande ${n}\u00a0: votre boisson vous attend`,
		calling: "Appel",
		ticket: (n: number, name: string | null) => (name ? `Commande ${n}, ${name}` : `Commande ${n}`),
	},
	notice: {
		ready: (order: NoticeOrder): NoticeText => ({ title: `${subject(order)} prête${which(order)}`, body: cup(order) }),
		called: (order: NoticeOrder): NoticeText => ({
			title: `${subject(order)} vous attend${which(order)}`,
			body: `Le barista vous appelle. ${cup(order)}`,
		}),
		ended: {
			customer: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "Vous avez annulé la commande. Scannez de nouveau le QR code quand vous voulez.",
			}),
			barista: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "Le barista a annulé la commande. Renseignez-vous au comptoir.",
			}),
			store_closed: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "Le bar à café a fermé avant de préparer votre commande. Désolés\u202f!",
			}),
			customer_timeout: (order: NoticeOrder): NoticeText => ({
				title: `${subject(order)} expirée`,
				body: "Vous n’avez pas choisi de boisson à temps. Scannez de nouveau le QR code pour commander.",
			}),
			barista_timeout: (order: NoticeOrder): NoticeText => ({
				title: `Désolés\u00a0: ${subject(order).toLowerCase()} n’a pas été prête à temps${which(order)}`,
				body: "Renseignez-vous au comptoir.",
			}),
			burst: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "Le bar à café a libéré des commandes ouvertes en même temps et jamais choisies. Scannez de nouveau le QR code pour commander.",
			}),
		},
	},
	journey: {
		title: "Parcours de la commande",
		open: "Voir son parcours",
		intro:
			"Chaque événement par lequel votre commande est passée, du scan à la boisson prête, et les services qui l’ont traitée.",
		order: (n: number | null) => (n === null ? "Votre commande" : `Commande n°\u00a0${n}`),
		scan: "Scan",
		loading: "Chargement du parcours…",
		empty: "Rien d’archivé pour l’instant\u00a0: les premiers événements arrivent.",
		inFlight: "Toujours en cours\u00a0: les nouvelles étapes s’affichent dès qu’elles sont archivées.",
		done: "Le parcours complet.",
		share: "Partager",
		shareTitle: "Le parcours de mon café",
		copied: "Lien copié.",
		copyFailed: "Copiez le lien ci-dessous.",
		linkLabel: "Lien à partager",
		noOrder: "Cette page a besoin d’une commande ou d’un lien de partage.",
		gone: "Ce lien a expiré, ou le parcours n’est plus conservé.",
		by: (service: string) => `par ${service}`,
		then: (consumers: string) => `puis ${consumers}`,
		gap: (ms: number) => stepGap("fr", ms),
		at: (iso: string) => timeOfDay("fr", iso),
	},
	eventBoard: {
		title: "Bars à café",
		intro: "La file de chaque bar, et le temps qu’il faudrait pour une boisson commandée maintenant.",
		loading: "Chargement des bars…",
		unknown: "Aucun événement ne porte cet identifiant.",
		none: "Pas encore de bar à café.",
		waiting: (n: number) => plural("fr", n, { one: "1 commande en attente", other: `${n} commandes en attente` }),
		wait: (seconds: number) => `environ ${wholeMinutes(seconds)} min`,
		closed: "Fermé",
		quickest: "Le plus rapide",
		quicker: (bar: string, seconds: number) => `Plus rapide maintenant : ${bar}, environ ${wholeMinutes(seconds)} min`,
	},
	refusal: {
		store_closed: "Le bar à café est fermé pour le moment. Revenez bientôt\u202f!",
		store_paused:
			"Le bar à café a mis les commandes en pause pour rattraper son retard. Réessayez dans quelques minutes.",
		code_exhausted: "Ce QR code est épuisé. Attendez le suivant sur le grand écran.",
		code_expired: "Ce QR code a expiré. Scannez le nouveau sur le grand écran.",
		code_invalid: "Ce QR code n’est pas le nôtre. Scannez celui du grand écran.",
		code_already_used: "Vous avez déjà utilisé ce QR code. Attendez le suivant sur le grand écran.",
		at_capacity: "Les baristas sont débordés. Réessayez dans quelques minutes.",
		order_limit: "Vous avez atteint la limite de boissons du jour. À demain\u202f!",
		network_limit:
			"Votre réseau a eu sa part des boissons de ce QR code. Attendez le prochain code sur le grand écran.",
		sold_out: "Désolés, une partie de la commande vient d’être épuisée. Choisissez de nouveau.",
		illegal_transition: "Ce n’est plus possible\u00a0: la commande a avancé.",
		unauthenticated: "Votre session a expiré. Réessayez.",
		forbidden: "Vous n’avez pas le droit de faire cela.",
		pin_invalid: "Ce code PIN n’est pas le bon.",
		pin_locked: "Trop de codes PIN erronés. Patientez un instant puis réessayez.",
		challenge_required:
			"Une petite vérification que vous êtes bien une personne avant de commander. Rechargez la page pour réessayer.",
		challenge_failed: "La vérification a échoué. Rechargez la page pour réessayer.",
		pairing_code_invalid:
			"Ce code d’appairage ne fonctionne pas\u00a0: il a peut-être expiré ou déjà servi. Demandez-en un nouveau à un barista.",
		store_exists: "Un bar à café porte déjà cet identifiant.",
		not_found: "Introuvable.",
		order_not_found: "Impossible de trouver cette commande. Elle appartient peut-être à un autre téléphone.",
		store_not_found: "Aucun bar à café ne porte cet identifiant.",
		invalid_request: "Quelque chose n’allait pas dans cette demande.",
		notPlainText:
			"Les noms peuvent contenir des lettres, des chiffres, des espaces et de la ponctuation, mais aucun caractère caché ou de contrôle.",
		rate_limited: "Trop de tentatives. Patientez un instant puis réessayez.",
		network: "Pas de connexion. Vérifiez le Wi-Fi ou les données mobiles et réessayez.",
		timeout: "Le serveur a mis trop de temps à répondre. Réessayez.",
		unknown: "Une erreur s’est produite. Réessayez.",
	},
};

export default fr;
