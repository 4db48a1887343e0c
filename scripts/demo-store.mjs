/** The store `npm run dev` seeds: open, with short timers so a tester sees time-outs by hand. */
export const demoStore = {
	id: "demo",
	name: "Demo Coffee Bar",
	pins: { barista: "1234", admin: "9999", display: "2468" },
	settings: {
		open: true,
		drinksPerCode: 10,
		codeWindowSeconds: 120,
		capacity: 20,
		customerTimeoutSeconds: 120,
		baristaTimeoutSeconds: 600,
		maxOrdersPerUserPerDay: 20,
	},
};
