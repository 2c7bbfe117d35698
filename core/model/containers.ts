import type { ContainerRow } from '../contract/dashboard-api';

export type { ContainerRow };

/**
 * Whether a container's last exit was a failure. One rule for the collector's
 * `docker_container_failed` series (what the "exited with an error" preset watches) and the
 * dashboard's container light, so that the two agree.
 *
 * `docker stop` sends SIGTERM and, after its timeout, SIGKILL; the engine records 128 + the
 * signal: 143, or 137 for a process that ignored SIGTERM (a shell or `sleep` as PID 1 does).
 * Ctrl-C in `docker run` gives 130. Those are how an operator stops a container, not crashes,
 * so they are not failures: a stop must not page anyone. A kill by the container's memory limit
 * is also 137, and it is a failure: the engine says so in OOMKilled.
 */
export const STOP_EXIT_CODES: readonly number[] = [130, 137, 143];

export function exitedWithError(c: {
	state: string;
	exitCode: number;
	oomKilled: boolean;
}): boolean {
	if (c.state !== 'exited' && c.state !== 'dead') return false;
	if (c.oomKilled) return true;
	return c.exitCode !== 0 && !STOP_EXIT_CODES.includes(c.exitCode);
}
