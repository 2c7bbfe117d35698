import type { ContainerInfo } from '../../core/contract/dashboard-api';
import { containerStatus } from '../../core/query';

/** The dashboard's container light: the same verdict on an exit as the alert preset's. */
const row = (over: Partial<ContainerInfo>): ContainerInfo => ({
	name: 'c',
	id: 'aaaaaaaaaaaa',
	image: 'busybox',
	state: 'running',
	status: 'Up 1 hour',
	health: 'none',
	light: 'nodata',
	stateLight: 'nodata',
	restarts: 0,
	exitCode: 0,
	oomKilled: false,
	memoryLimited: false,
	...over,
});

test.each([
	['running', row({}), 'ok', null],
	[
		'unhealthy',
		row({ health: 'unhealthy', status: 'Up (unhealthy)' }),
		'critical',
		'Up (unhealthy)',
	],
	[
		'restarting',
		row({ state: 'restarting', status: 'Restarting (1)' }),
		'warning',
		'Restarting (1)',
	],
	[
		'crashed',
		row({ state: 'exited', exitCode: 1, status: 'Exited (1)' }),
		'critical',
		'Exited (1)',
	],
	[
		'killed by its memory limit',
		row({ state: 'exited', exitCode: 137, oomKilled: true, status: 'Exited (137)' }),
		'critical',
		'Exited (137) (out of memory)',
	],
	// A docker stop is how an operator stops a container: nothing wrong, nothing current.
	[
		'stopped (SIGTERM)',
		row({ state: 'exited', exitCode: 143, status: 'Exited (143)' }),
		'nodata',
		'Exited (143)',
	],
	[
		'stopped (SIGKILL after the timeout)',
		row({ state: 'exited', exitCode: 137, status: 'Exited (137)' }),
		'nodata',
		'Exited (137)',
	],
	[
		'exited cleanly',
		row({ state: 'exited', exitCode: 0, status: 'Exited (0)' }),
		'nodata',
		'Exited (0)',
	],
] as const)('%s', (_name, r, status, reason) => {
	expect(containerStatus(r)).toEqual({ status, reason });
});

test('not listed by the latest collection: no data, saying so', () => {
	expect(containerStatus(null)).toEqual({
		status: 'nodata',
		reason: 'not listed by the latest collection',
	});
});
