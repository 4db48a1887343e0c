import type { Attendee, NoticeOrder, NoticeText } from "./en";
import { clock, hoursMinutes, stepGap, timeOfDay, weekdayTime, wholeMinutes } from "./format";

/**
 * Japanese: the attendee's words, polite and short. Japanese counts without plural forms and runs words
 * together, so sentences are written whole here rather than assembled with spaces.
 */

const subject = (order: NoticeOrder): string => (order.number === null ? "ご注文" : `${order.number}番のご注文`);
const which = (order: NoticeOrder): string => (order.drink ? `（${order.drink}）` : "");
const cup = (order: NoticeOrder): string =>
	order.name ? `カウンターでお受け取りください。カップのお名前：${order.name}` : "カウンターでお受け取りください。";
const cancelled = (order: NoticeOrder): string => `${subject(order)}${which(order)}はキャンセルされました`;

const ja: Attendee = {
	app: {
		name: "edgepresso",
		tagline: "コーヒーをスマホで注文。",
		skipToContent: "本文へ移動",
	},
	time: {
		clock,
		at: (iso: string) => weekdayTime("ja", iso),
		hhmm: (ms: number) => hoursMinutes("ja", ms),
	},
	live: {
		live: "ライブ",
		connecting: "接続中…",
		reconnecting: (since: string) => `再接続中…${since}から更新されていません`,
		reconnectingBrief: "再接続中…",
		offline: (since: string) => `${since}からオフライン：ネットワークが戻ると再接続します`,
		offlineBrief: "オフライン",
		closed: "未接続",
	},
	language: {
		label: "言語",
	},
	order: {
		title: "コーヒーを注文",
		starting: "ご注文の準備中…",
		scanPrompt: "コーヒーバーの大きな画面のQRコードを読み取って注文を始めてください。",
		noStore: "このリンクにはコーヒーバーの情報がありません。大きな画面のQRコードをもう一度読み取ってください。",
		timeLeft: "注文の残り時間",
		timeLeftAria: (clock: string) => `注文の残り時間は${clock}です`,
		timeUp: "注文の時間が終わりました。QRコードをもう一度読み取ってやり直してください。",
		menuTitle: "ドリンクを選んでください",
		soldOut: "売り切れ",
		optionalHint: "任意",
		pickUpTo: (max: number) => `${max}つまで選べます`,
		nameLabel: "カップに書くお名前",
		nameHint: "画面には最初の単語だけが表示されます。",
		submit: (drink: string) => `${drink}を注文`,
		pickDrink: "先にドリンクを選んでください",
		submitting: "注文を送信中…",
		switchedChoice: (group: string, sold: string, now: string) =>
			`${sold}が売り切れました。${group}は${now}に変わりました。`,
		drinkSoldOutNow: (drink: string) => `${drink}が売り切れました。ほかのドリンクを選んでください。`,
		choiceSoldOutNow: (choice: string) => `${choice}が売り切れました。`,
		cancel: "注文をキャンセル",
		cancelConfirmTitle: "この注文をキャンセルしますか？",
		cancelConfirmBody: "列の順番はほかの方に回ります。",
		cancelConfirm: "はい、キャンセルします",
		cancelKeep: "いいえ、このままにします",
		history: "注文履歴",
		historyEmpty: "まだ注文はありません。",
		newOrderHint: "ほかのドリンクを注文するには、大きな画面のQRコードをもう一度読み取ってください。",
		storeClosed: "コーヒーバーはただいま営業時間外です。",
		storePaused: "コーヒーバーは新しい注文を一時停止しています。",
		storeClosedStillYours: "コーヒーバーは新しい受付を終了しましたが、この注文はまだできます。",
		storePausedStillYours: "コーヒーバーは新しい注文を一時停止していますが、この注文はまだできます。",
	},
	status: {
		AWAITING_ORDER: "ドリンクの選択待ち",
		QUEUED: "順番待ち",
		MAKING: "準備中",
		READY: "できあがり",
		CANCELLED: "キャンセル済み",
		TIMED_OUT: "時間切れ",
		queuedHeadline: "順番待ちに入りました",
		position: (p: number) => (p === 1 ? "次があなたの番です" : `あなたの前に${p - 1}件の注文があります`),
		eta: (seconds: number) => `約${wholeMinutes(seconds)}分でできあがります`,
		watchBoard: "大きな画面にあなたの番号が出るのをお待ちください。",
		makingHeadline: "ドリンクを準備しています",
		makingBy: (barista: string) => `${barista}がただいま作っています。`,
		readyHeadline: (n: number) => `${n}番のご注文ができあがりました`,
		readyBody: "カウンターでお受け取りください。ごゆっくりどうぞ！",
		called: "バリスタがお呼びしています。ドリンクがカウンターでお待ちです。",
		cancelledHeadline: "注文はキャンセルされました",
		timedOutHeadline: "注文は時間切れになりました",
		reason: {
			customer: "この注文はあなたがキャンセルしました。",
			barista: "バリスタがこの注文をキャンセルしました。申し訳ありません。もう一度ご注文ください。",
			store_closed: "コーヒーバーが閉店し、受付中の注文をキャンセルしました。",
			customer_timeout: "お迷いでしたか？選択の時間が終わりました。",
			barista_timeout: "バリスタがご注文を見落としたかもしれません。もう一度ご注文ください。",
			burst:
				"同時に開かれて選ばれなかった注文を、コーヒーバーが取り消しました。注文するにはもう一度コードを読み取ってください。",
		},
	},
	push: {
		offer: "ドリンクができあがったら、このページを閉じていても通知を受け取りますか？",
		enable: "通知を受け取る",
		enabling: "通知をオンにしています…",
		enabled: "できあがったらお知らせします。",
		denied: "このサイトの通知はブロックされています。注文の状況はこのページを開いたままご確認ください。",
		unsupported: "iPhoneでは、このページをホーム画面に追加すると通知を受け取れます。",
		failed: "通知をオンにできませんでした。注文の状況はこのページを開いたままご確認ください。",
	},
	display: {
		title: (store: string) => `${store}：ディスプレイ`,
		scanToOrder: "読み取って注文",
		drinksLeft: (n: number, total: number) => `残り${n}杯／${total}杯`,
		timeLeft: (clock: string) => `このコードはあと${clock}有効です`,
		making: "ドリンクを作っています！",
		nextCodeIn: (clock: string) => `${clock}後に注文受付を再開`,
		nextCodeSoon: "まもなく注文の受付を再開します",
		nextCode: (clock: string) => `次のコードまで${clock}`,
		nextCodeBody: "まもなく新しいQRコードがここに表示されます。読み取って注文してください。",
		reconnecting: "再接続中…",
		reconnectingBody: "この画面がライブに戻ると、QRコードも表示されます。",
		stale: (since: string) => `${since}から更新されていません`,
		screenMenu: "画面の設定",
		closed: "営業時間外",
		closedBody: "コーヒーバーはただいま注文を受け付けていません。",
		paused: "一時停止中",
		pausedBody: "ただいま注文に追いついています。まもなく受付を再開します。",
		preparing: "準備中",
		ready: "できあがり",
		nothingPreparing: "準備中の注文はありません",
		nothingReady: "お待ちの注文はありません",
		readyAnnounce: (n: number, name: string | null) =>
			name ? `${name}さんの${n}番のご注文ができあがりました` : `${n}番のご注文ができあがりました`,
		callingAnnounce: (n: number, name: string | null) =>
			name ? `${name}さんの${n}番のご注文、ドリンクがお待ちです` : `${n}番のご注文、ドリンクがお待ちです`,
		calling: "お呼び出し中",
		ticket: (n: number, name: string | null) => (name ? `${n}番、${name}さん` : `${n}番`),
	},
	notice: {
		ready: (order: NoticeOrder): NoticeText => ({
			title: `${subject(order)}${which(order)}ができあがりました`,
			body: cup(order),
		}),
		called: (order: NoticeOrder): NoticeText => ({
			title: `${subject(order)}${which(order)}がお待ちです`,
			body: `バリスタがお呼びしています。${cup(order)}`,
		}),
		ended: {
			customer: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "ご自身で注文をキャンセルしました。いつでもQRコードを読み取って注文できます。",
			}),
			barista: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "バリスタが注文をキャンセルしました。カウンターでお尋ねください。",
			}),
			store_closed: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "ご注文をお作りする前にコーヒーバーが閉店しました。申し訳ありません。",
			}),
			customer_timeout: (order: NoticeOrder): NoticeText => ({
				title: `${subject(order)}は時間切れになりました`,
				body: "時間内にドリンクが選ばれませんでした。注文するにはQRコードをもう一度読み取ってください。",
			}),
			barista_timeout: (order: NoticeOrder): NoticeText => ({
				title: `申し訳ありません。${subject(order)}${which(order)}を時間内にお作りできませんでした`,
				body: "カウンターでお尋ねください。",
			}),
			burst: (order: NoticeOrder): NoticeText => ({
				title: cancelled(order),
				body: "同時に開かれて選ばれなかった注文を、コーヒーバーが取り消しました。注文するにはQRコードをもう一度読み取ってください。",
			}),
		},
	},
	journey: {
		title: "ご注文の流れ",
		open: "流れを見る",
		intro: "QRコードの読み取りからドリンクの完成まで、ご注文が通ったすべてのイベントと、それを処理したサービスです。",
		order: (n: number | null) => (n === null ? "ご注文" : `${n}番のご注文`),
		scan: "読み取り",
		loading: "読み込み中…",
		empty: "まだ記録がありません。最初のイベントが届くまでお待ちください。",
		inFlight: "処理中です。新しいステップは記録されしだい表示されます。",
		done: "すべての流れです。",
		share: "共有",
		shareTitle: "わたしのコーヒーの流れ",
		copied: "リンクをコピーしました。",
		copyFailed: "下のリンクをコピーしてください。",
		linkLabel: "共有リンク",
		noOrder: "このページには注文か共有リンクが必要です。",
		gone: "このリンクは期限切れか、流れの記録はもう残っていません。",
		by: (service: string) => `${service}が処理`,
		then: (consumers: string) => `続いて${consumers}`,
		gap: (ms: number) => stepGap("ja", ms),
		at: (iso: string) => timeOfDay("ja", iso),
	},
	refusal: {
		store_closed: "コーヒーバーはただいま営業時間外です。またお越しください！",
		store_paused: "コーヒーバーは注文に追いつくため受付を一時停止しています。数分後にもう一度お試しください。",
		code_exhausted: "このQRコードの受付枠は終了しました。大きな画面の次のコードをお待ちください。",
		code_expired: "このQRコードは期限切れです。大きな画面の新しいコードを読み取ってください。",
		code_invalid: "このQRコードは当店のものではありません。大きな画面のコードを読み取ってください。",
		code_already_used: "このQRコードはすでに使われています。大きな画面の次のコードをお待ちください。",
		at_capacity: "バリスタが手いっぱいです。数分後にもう一度お試しください。",
		order_limit: "本日のドリンクの上限に達しました。また明日どうぞ！",
		network_limit:
			"このネットワークからの注文は、このQRコードの枠に達しました。大きな画面の次のコードをお待ちください。",
		sold_out: "申し訳ありません。ご注文の一部が売り切れました。もう一度お選びください。",
		illegal_transition: "注文が先に進んだため、この操作はできません。",
		unauthenticated: "セッションの有効期限が切れました。もう一度お試しください。",
		forbidden: "この操作は許可されていません。",
		pin_invalid: "PINが正しくありません。",
		pin_locked: "PINの入力ミスが多すぎます。少し待ってからもう一度お試しください。",
		challenge_required:
			"ご注文の前に、人間であることを簡単に確認させてください。ページを再読み込みしてもう一度お試しください。",
		challenge_failed: "確認できませんでした。ページを再読み込みしてもう一度お試しください。",
		pairing_code_invalid:
			"このペアリングコードは使えません。期限切れか使用済みの可能性があります。バリスタに新しいコードをもらってください。",
		store_exists: "このIDのコーヒーバーはすでにあります。",
		not_found: "見つかりません。",
		order_not_found: "その注文が見つかりません。別のスマホの注文かもしれません。",
		store_not_found: "このIDのコーヒーバーはありません。",
		invalid_request: "リクエストの内容に問題がありました。",
		notPlainText: "名前には文字、数字、スペース、句読点を使えますが、見えない文字や制御文字は使えません。",
		rate_limited: "試行回数が多すぎます。少し待ってからもう一度お試しください。",
		network: "接続できません。Wi-Fiまたはモバイルデータを確認して、もう一度お試しください。",
		timeout: "サーバーの応答に時間がかかりすぎました。もう一度お試しください。",
		unknown: "問題が発生しました。もう一度お試しください。",
	},
};

export default ja;
