import { z } from "zod";
import { requireStaff } from "../http/auth";
import { storeAnalytics } from "../read-model/analytics";
import { Analytics, AnalyticsQuery, analyticsRange } from "#contract/analytics.ts";
import { Slug } from "#contract/store.ts";
import { ApiError, unwrap } from "../http/errors";
import { jsonResponse, route, router } from "./describe";

const analytics = route("storeAdmin", {
	method: "get",
	path: "/stores/{store}/analytics",
	operationId: "getStoreAnalytics",
	summary:
		"A store's analytics from the read model: drinks per hour, wait and preparation times, endings, popular drinks and options",
	description: "The range is [from, to), 24 hours up to now by default, at most 31 days; hours are UTC hours.",
	request: { params: z.object({ store: Slug }), query: AnalyticsQuery },
	responses: { 200: jsonResponse(Analytics, "The store's numbers for the range") },
});

export const analyticsRoutes = router().openapi(analytics, async (c) => {
	const { store } = c.req.valid("param");
	requireStaff(c, store, "admin");
	// The store's own object says whether it exists: the read model cannot tell "no orders" from "no store".
	unwrap(await c.env.STORE.getByName(store).view());
	const range = analyticsRange(c.req.valid("query"), Date.now());
	if ("problem" in range) throw new ApiError("invalid_request", range.problem);
	return c.json(await storeAnalytics(c.env, store, range.from, range.to), 200);
});
