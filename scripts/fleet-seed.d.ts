// Types for scripts/fleet-seed.js.
import type { MonitoringStore } from '../core/store';

export interface PlannedHost {
	host: string;
	/** Stopped reporting 61 minutes before `now`: no value in the overview's 15-minute window. */
	silent: boolean;
	/** Its latest host-collector run failed. */
	failing: boolean;
	gpu: boolean;
	cpu: number;
	memory: number;
	/** The `/` filesystem; the highest of the host's mounts. */
	disk: number;
	dataDisk: number;
	gpuTemp: number;
}
export function planFleet(hosts: number, names?: Record<number, string>): PlannedHost[];
export function seedFleet(
	store: MonitoringStore,
	options: {
		hosts: number;
		now: number;
		minutes?: number;
		collectionHours?: number;
		names?: Record<number, string>;
	},
): Promise<{
	plan: PlannedHost[];
	series: number;
	samples: number;
	collections: number;
	seedSeconds: number;
}>;
