// Types for scripts/docker-engine.js.
export const IMAGE: string;

export interface TestDocker {
	socket: string;
	dir: string;
	/** The docker CLI against this engine; returns stdout. */
	docker(...args: string[]): string;
	/** `docker inspect` of one container, parsed. */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- docker inspect's JSON, read field by field in the tests
	inspect(name: string): Record<string, any>;
	output(): string;
	stop(): Promise<void>;
}

export function startDocker(): Promise<TestDocker>;
export function startPodman(): Promise<TestDocker>;
export const PODMAN_RUN_FLAGS: string[];
