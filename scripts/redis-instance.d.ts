// Types for scripts/redis-instance.js.
export interface TestRedis {
	host: string;
	port: number;
	output(): string;
	stop(): Promise<void>;
}
export function startRedis(): Promise<TestRedis>;
