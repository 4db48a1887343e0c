/**
 * How this tablet prints tickets: the receipt paper its printer takes, and whether making an order prints
 * its ticket at once (as the original tablet did). Printing goes through the browser's print dialog to any
 * printer the tablet knows; a kiosk-mode browser (`--kiosk-printing`) prints without the dialog.
 */
export type Paper = "58" | "80";

const paperKey = "edgepresso.ticketPaper";
const onClaimKey = "edgepresso.printOnClaim";

function stored(key: string): string | null {
	try {
		return localStorage.getItem(key);
	} catch {
		return null;
	}
}

function store(key: string, value: string): void {
	try {
		localStorage.setItem(key, value);
	} catch {
		// Storage disabled: the choice lasts as long as the page.
	}
}

class TicketPrinting {
	#paper = $state<Paper>(stored(paperKey) === "58" ? "58" : "80");
	#onClaim = $state(stored(onClaimKey) === "true");

	get paper(): Paper {
		return this.#paper;
	}

	set paper(value: Paper) {
		this.#paper = value;
		store(paperKey, value);
	}

	get onClaim(): boolean {
		return this.#onClaim;
	}

	set onClaim(value: boolean) {
		this.#onClaim = value;
		store(onClaimKey, String(value));
	}
}

export const ticketPrinting = new TicketPrinting();
