import type { Attendee, NoticeOrder, NoticeText } from "./en";
import { clock, hoursMinutes, inMinutes, plural, stepGap, timeOfDay, weekdayTime, wholeMinutes } from "./format";

/** Portuguese (Brazil): the attendee's words. */

const subject = (order: NoticeOrder): string => (order.number === null ? "Seu pedido" : `Pedido nº ${order.number}`);
const which = (order: NoticeOrder): string => (order.drink ? `: ${order.drink}` : "");
const cup = (order: NoticeOrder): string =>
	order.name ? `Retire no balcão: o copo diz ${order.name}.` : "Retire no balcão.";
const cancelled = (order: NoticeOrder): string => `${subject(order)} foi cancelado${which(order)}`;

const pt: Attendee = {
	app: {
		name: "edgepresso",
		tagline: "Café pedido pelo celular.",
		skipToContent: "Pular para o conteúdo",
	},
	time: {
		clock,
		at: (iso: string) => weekdayTime("pt-BR", iso),
		hhmm: (ms: number) => hoursMinutes("pt-BR", ms),
	},
	live: {
		live: "Ao vivo",
		connecting: "Conectando…",
		reconnecting: (since: string) => `Reconectando… sem atualização desde ${since}`,
		reconnectingBrief: "Reconectando…",
		offline: (since: string) => `Sem conexão desde ${since}: reconecta quando a rede voltar`,
		offlineBrief: "Sem conexão",
		closed: "Desconectado",
	},
	language: {
		label: "Idioma",
	},
	order: {
		title: "Peça um café",
		starting: "Preparando seu pedido…",
		scanPrompt: "Escaneie o QR code na tela grande do café para fazer um pedido.",
		noStore: "Este link não indica nenhum café. Escaneie de novo o QR code na tela grande.",
		timeLeft: "Tempo para pedir",
		timeLeftAria: (clock: string) => `${clock} para fazer seu pedido`,
		timeUp: "Seu tempo para pedir acabou. Escaneie o QR code de novo para recomeçar.",
		menuTitle: "Escolha sua bebida",
		soldOut: "Esgotado",
		optionalHint: "opcional",
		pickUpTo: (max: number) => `escolha até ${max}`,
		nameLabel: "Nome no copo",
		nameHint: "A tela mostra só a primeira palavra.",
		submit: (drink: string) => `Pedir ${drink}`,
		pickDrink: "Escolha uma bebida primeiro",
		submitting: "Enviando seu pedido…",
		switchedChoice: (group: string, sold: string, now: string) =>
			`${sold} acabou de esgotar: ${group.toLowerCase()} agora é ${now}.`,
		drinkSoldOutNow: (drink: string) => `${drink} acabou de esgotar. Escolha outra bebida.`,
		choiceSoldOutNow: (choice: string) => `${choice} acabou de esgotar.`,
		cancel: "Cancelar pedido",
		cancelConfirmTitle: "Cancelar este pedido?",
		cancelConfirmBody: "Seu lugar na fila vai para outra pessoa.",
		cancelConfirm: "Sim, cancelar",
		cancelKeep: "Não, manter",
		history: "Meus pedidos",
		historyEmpty: "Nenhum pedido ainda.",
		newOrderHint: "Para pedir outra bebida, escaneie de novo o QR code na tela grande.",
		storeClosed: "O café está fechado agora.",
		storePaused: "O café pausou os pedidos por um momento.",
		storeClosedStillYours: "O café fechou para novos clientes, mas você ainda pode fazer este pedido.",
		storePausedStillYours: "O café pausou os pedidos, mas você ainda pode fazer este.",
	},
	status: {
		AWAITING_ORDER: "Aguardando sua escolha",
		QUEUED: "Na fila",
		MAKING: "Em preparo",
		READY: "Pronto",
		CANCELLED: "Cancelado",
		TIMED_OUT: "Expirado",
		queuedHeadline: "Você está na fila",
		position: (p: number) =>
			p === 1
				? "Você é o próximo"
				: plural("pt-BR", p - 1, { one: "1 pedido na sua frente", other: `${p - 1} pedidos na sua frente` }),
		eta: (seconds: number) => `Pronto ${inMinutes("pt-BR", seconds)}`,
		watchBoard: "Fique de olho no seu número na tela grande.",
		makingHeadline: "Sua bebida está sendo preparada",
		makingBy: (barista: string) => `${barista} está preparando agora.`,
		readyHeadline: (n: number) => `Pronto: pedido nº ${n}`,
		readyBody: "Retire no balcão. Aproveite!",
		called: "O barista está chamando você: sua bebida está esperando no balcão.",
		cancelledHeadline: "Pedido cancelado",
		timedOutHeadline: "Pedido expirado",
		reason: {
			customer: "Você cancelou este pedido.",
			barista: "O barista cancelou este pedido. Desculpe! Faça o pedido de novo.",
			store_closed: "O café fechou e cancelou os pedidos em aberto.",
			customer_timeout: "Difícil decidir? O tempo para escolher acabou.",
			barista_timeout: "Nossos baristas podem ter perdido seu café. Faça o pedido de novo.",
			burst: "O café liberou pedidos abertos ao mesmo tempo e nunca escolhidos. Escaneie o código de novo para pedir.",
		},
	},
	push: {
		offer: "Quer receber uma notificação quando sua bebida ficar pronta, mesmo com esta página fechada?",
		enable: "Quero ser avisado",
		enabling: "Ativando as notificações…",
		enabled: "Vamos avisar quando estiver pronto.",
		denied: "As notificações estão bloqueadas para este site; deixe esta página aberta para acompanhar seu pedido.",
		unsupported: "No iPhone, adicione esta página à Tela de Início para receber notificações.",
		failed: "Não foi possível ativar as notificações; deixe esta página aberta para acompanhar seu pedido.",
	},
	display: {
		title: (store: string) => `${store}: tela`,
		scanToOrder: "Escaneie para pedir",
		drinksLeft: (n: number, total: number) =>
			plural("pt-BR", total, { one: `Resta ${n} de 1 bebida`, other: `Restam ${n} de ${total} bebidas` }),
		timeLeft: (clock: string) => `Código válido por ${clock}`,
		making: "Estamos preparando bebidas!",
		nextCodeIn: (clock: string) => `Novos pedidos em ${clock}`,
		nextCodeSoon: "Logo voltamos a aceitar pedidos",
		nextCode: (clock: string) => `Próximo código em ${clock}`,
		nextCodeBody: "Um novo QR code aparece aqui em instantes: escaneie para pedir.",
		reconnecting: "Reconectando…",
		reconnectingBody: "O QR code volta assim que esta tela estiver ao vivo de novo.",
		stale: (since: string) => `Sem atualização desde ${since}`,
		screenMenu: "Configurações da tela",
		closed: "Fechado",
		closedBody: "O café não está aceitando pedidos agora.",
		paused: "Pausado",
		pausedBody: "Estamos colocando os pedidos em dia. Novos pedidos em instantes.",
		preparing: "Em preparo",
		ready: "Pronto",
		nothingPreparing: "Nada em preparo",
		nothingReady: "Nada esperando",
		readyAnnounce: (n: number, name: string | null) =>
			name ? `Pedido ${n} de ${name} está pronto` : `Pedido ${n} está pronto`,
		callingAnnounce: (n: number, name: string | null) =>
			name
				? `Chamando o pedido ${n} de ${name}: sua bebida está esperando`
				: `Chamando o pedido ${n}: sua bebida está esperando`,
		calling: "Chamando",
		ticket: (n: number, name: string | null) => (name ? `Pedido ${n}, ${name}` : `Pedido ${n}`),
	},
	notice: {
		ready: (order: NoticeOrder): NoticeText => ({
			title: `${subject(order)} está pronto${which(order)}`,
			body: cup(order),
		}),
		called: (order: NoticeOrder): NoticeText => ({
			title: `${subject(order)} está esperando por você${which(order)}`,
			body: `O barista está chamando você. ${cup(order)}`,
		}),
		ended: {
			customer: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "Você cancelou o pedido. Escaneie o QR code de novo quando quiser.",
			}),
			barista: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "O barista cancelou o pedido. Fale com a equipe no balcão.",
			}),
			store_closed: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "O café fechou antes de preparar seu pedido. Desculpe!",
			}),
			customer_timeout: (order: NoticeOrder): NoticeText => ({
				title: `${subject(order)} expirou`,
				body: "Você não escolheu uma bebida a tempo. Escaneie o QR code de novo para pedir.",
			}),
			barista_timeout: (order: NoticeOrder): NoticeText => ({
				title: `Desculpe: ${subject(order).toLowerCase()} não ficou pronto a tempo${which(order)}`,
				body: "Fale com a equipe no balcão.",
			}),
			burst: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "O café liberou pedidos abertos ao mesmo tempo e nunca escolhidos. Escaneie o QR code de novo para pedir.",
			}),
		},
	},
	journey: {
		title: "Jornada do pedido",
		open: "Ver a jornada",
		intro:
			"Cada evento pelo qual seu pedido passou, da leitura do código à bebida pronta, e os serviços que cuidaram dele.",
		order: (n: number | null) => (n === null ? "Seu pedido" : `Pedido nº ${n}`),
		scan: "Leitura",
		loading: "Carregando a jornada…",
		empty: "Nada arquivado ainda: os primeiros eventos estão a caminho.",
		inFlight: "Ainda em andamento: novos passos aparecem quando são arquivados.",
		done: "A jornada completa.",
		share: "Compartilhar",
		shareTitle: "A jornada do meu café",
		copied: "Link copiado.",
		copyFailed: "Copie o link abaixo.",
		linkLabel: "Link para compartilhar",
		noOrder: "Esta página precisa de um pedido ou de um link compartilhado.",
		gone: "Este link expirou, ou a jornada não está mais guardada.",
		by: (service: string) => `por ${service}`,
		then: (consumers: string) => `depois ${consumers}`,
		gap: (ms: number) => stepGap("pt-BR", ms),
		at: (iso: string) => timeOfDay("pt-BR", iso),
	},
	eventBoard: {
		title: "Cafés",
		intro: "A fila de cada café e quanto demoraria uma bebida pedida agora.",
		loading: "Carregando os cafés…",
		unknown: "Não há nenhum evento com esse id.",
		none: "Ainda não há cafés.",
		waiting: (n: number) => plural("pt", n, { one: "1 pedido na fila", other: `${n} pedidos na fila` }),
		wait: (seconds: number) => `cerca de ${wholeMinutes(seconds)} min`,
		closed: "Fechado",
		quickest: "Mais rápido",
		quicker: (bar: string, seconds: number) => `Mais rápido agora: ${bar}, cerca de ${wholeMinutes(seconds)} min`,
	},
	refusal: {
		store_closed: "O café está fechado agora. Volte logo!",
		store_paused: "O café pausou os pedidos para colocar tudo em dia. Tente de novo em alguns minutos.",
		code_exhausted: "Este QR code já foi todo usado. Espere o próximo na tela grande.",
		code_expired: "Este QR code expirou. Escaneie o novo na tela grande.",
		code_invalid: "Este QR code não é nosso. Escaneie o código da tela grande.",
		code_already_used: "Você já usou este QR code. Espere o próximo na tela grande.",
		at_capacity: "Os baristas estão a mil. Tente de novo em alguns minutos.",
		order_limit: "Você atingiu o limite de bebidas de hoje. Até amanhã!",
		network_limit: "Sua rede já pegou a parte dela das bebidas deste QR code. Espere o próximo código na tela grande.",
		sold_out: "Desculpe, parte do pedido acabou de esgotar. Escolha de novo.",
		illegal_transition: "Isso não dá mais para fazer: o pedido já avançou.",
		unauthenticated: "Sua sessão expirou. Tente de novo.",
		forbidden: "Você não tem permissão para fazer isso.",
		pin_invalid: "Esse PIN não está certo.",
		pin_locked: "PINs errados demais. Espere um pouco e tente de novo.",
		challenge_required:
			"Precisamos confirmar rapidinho que você é uma pessoa antes do pedido. Recarregue a página para tentar de novo.",
		challenge_failed: "A verificação não passou. Recarregue a página para tentar de novo.",
		pairing_code_invalid:
			"Esse código de pareamento não funciona: pode ter expirado ou já ter sido usado. Peça um novo a um barista.",
		store_exists: "Já existe um café com esse id.",
		not_found: "Não encontrado.",
		order_not_found: "Não encontramos esse pedido. Talvez seja de outro celular.",
		store_not_found: "Não existe nenhum café com esse id.",
		invalid_request: "Algo nesse pedido não estava certo.",
		notPlainText: "Nomes podem ter letras, números, espaços e pontuação, mas nenhum caractere oculto ou de controle.",
		rate_limited: "Tentativas demais. Espere um pouco e tente de novo.",
		network: "Sem conexão. Confira o Wi-Fi ou os dados móveis e tente de novo.",
		timeout: "O servidor demorou demais para responder. Tente de novo.",
		unknown: "Algo deu errado. Tente de novo.",
	},
};

export default pt;
