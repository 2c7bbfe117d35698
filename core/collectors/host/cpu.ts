import type { CounterSet, Sample } from '../types';
import { clampPercent, readText, round, type HostPart } from './part';

/*
 * /proc/stat jiffies. guest and guest_nice are already counted inside user and nice, so they are
 * left out of the sum (node_exporter reports them apart for the same reason). "Usage" is
 * everything but idle and iowait: iowait is idle time spent waiting on a disk, not CPU work.
 * Per core only inactive (idle + iowait) and all counters are kept, so a 128-core host hands ~260 counters on, not ~1,000.
 */
const MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

export interface CpuRaw {
	/** Core ids in /proc/stat order ("0", "1"...). */
	cores: string[];
	load: { '1': number; '5': number; '15': number } | null;
	loadWarning?: string;
}

export function parseProcStat(text: string): { counters: CounterSet; cores: string[] } {
	const counters: CounterSet = {};
	const cores: string[] = [];
	for (const line of text.split('\n')) {
		if (!line.startsWith('cpu')) continue;
		const fields = line.trim().split(/\s+/);
		const id = fields[0] === 'cpu' ? 'total' : fields[0].slice(3);
		if (id !== 'total' && !/^\d+$/.test(id)) continue;
		const values = MODES.map((_, i) => Number(fields[i + 1] ?? 0) || 0);
		const all = values.reduce((a, b) => a + b, 0);
		const idle = values[3] + values[4];
		if (id === 'total') {
			MODES.forEach((mode, i) => (counters[`total:${mode}`] = values[i]));
		} else {
			cores.push(id);
		}
		counters[`${id}:inactive`] = idle;
		counters[`${id}:all`] = all;
	}
	if (counters['total:all'] === undefined) throw new Error('no cpu line in /proc/stat');
	return { counters, cores };
}

export function parseLoadavg(text: string): CpuRaw['load'] {
	const [one, five, fifteen] = text.trim().split(/\s+/).map(Number);
	if (![one, five, fifteen].every(Number.isFinite)) throw new Error('unreadable /proc/loadavg');
	return { '1': one, '5': five, '15': fifteen };
}

export const cpuPart: HostPart<CpuRaw> = {
	name: 'cpu',
	hasCounters: true,
	async read(env) {
		const [stat, load] = await Promise.all([
			readText(`${env.procRoot}/stat`),
			readText(`${env.procRoot}/loadavg`).then(parseLoadavg, (e: Error) => e),
		]);
		const { counters, cores } = parseProcStat(stat);
		const raw: CpuRaw =
			load instanceof Error
				? { cores, load: null, loadWarning: `load average: ${load.message}` }
				: { cores, load };
		return { counters, raw };
	},
	build({ raw, rates, facts }) {
		const samples: Sample[] = [];
		const usage = (id: string): number | undefined => {
			const all = rates[`${id}:all`];
			const idle = rates[`${id}:inactive`];
			if (all === undefined || idle === undefined || !(all > 0)) return undefined;
			return round(clampPercent(100 * (1 - idle / all)));
		};
		const total = usage('total');
		if (total !== undefined) {
			samples.push({ name: 'cpu_usage_percent', value: total, labels: { cpu: 'total' } });
		}
		const modes: Record<string, number> = {};
		const allRate = MODES.reduce((sum, m) => sum + (rates[`total:${m}`] ?? 0), 0);
		if (allRate > 0) {
			for (const mode of MODES) {
				const rate = rates[`total:${mode}`];
				if (rate === undefined) continue;
				modes[mode] = round(clampPercent((100 * rate) / allRate));
				samples.push({ name: 'cpu_mode_percent', value: modes[mode], labels: { mode } });
			}
		}
		const perCore: Array<{ cpu: string; usagePercent: number }> = [];
		for (const core of raw.cores) {
			const value = usage(core);
			if (value === undefined) continue;
			perCore.push({ cpu: core, usagePercent: value });
			samples.push({ name: 'cpu_usage_percent', value, labels: { cpu: core } });
		}
		samples.push({ name: 'cpu_count', value: raw.cores.length });
		facts.cpuCount = raw.cores.length;
		if (raw.load) {
			for (const period of ['1', '5', '15'] as const) {
				samples.push({ name: 'load_average', value: raw.load[period], labels: { period } });
			}
		}
		return {
			samples,
			snapshot: {
				cpu: {
					usagePercent: total ?? null,
					count: raw.cores.length,
					perCore,
					modes,
					load: raw.load,
				},
			},
			warnings: raw.loadWarning ? [raw.loadWarning] : undefined,
		};
	},
};
