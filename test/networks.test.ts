import { describe, expect, it } from "vitest";
import { networkOf } from "../workers/http/limits";

describe("the network a client counts as", () => {
	it("is the address itself for IPv4", () => {
		expect(networkOf("203.0.113.9")).toBe("203.0.113.9");
	});

	it("is the /64 for IPv6, however the address is written", () => {
		const same = ["2001:db8:7:9::1", "2001:0db8:0007:0009:ffff::2", "2001:DB8:7:9:1:2:3:4", "2001:db8:7:9::"];
		expect(new Set(same.map(networkOf))).toEqual(new Set(["2001:db8:7:9::/64"]));
		expect(networkOf("2001:db8:7:a::1")).toBe("2001:db8:7:a::/64");
		expect(networkOf("::1")).toBe("0:0:0:0::/64");
		expect(networkOf("2001:db8::7:9:1:2")).toBe("2001:db8:0:0::/64");
	});

	it("leaves what is not an address as it is", () => {
		expect(networkOf("not:an:address")).toBe("not:an:address");
		expect(networkOf("")).toBe("");
	});
});
