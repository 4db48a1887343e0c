import type { TestProject } from "vitest/node";
import { startSystem } from "./system";

declare module "vitest" {
	export interface ProvidedContext {
		origin: string;
		adminToken: string;
	}
}

/** One running system for the whole browser suite; each test makes its own store in it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const system = await startSystem();
	project.provide("origin", system.origin);
	project.provide("adminToken", system.adminToken);
	return system.stop;
}
