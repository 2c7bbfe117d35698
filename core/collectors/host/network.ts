import type { CounterSet, Sample } from '../types';
import { camel } from './diskio';
import { readText, round, type HostPart } from './part';
import type { MetricName } from '../../catalog/metrics';

/*
 * Every interface is kept, lo included (as node_exporter does): local traffic between n8n and its
 * database is real work. The snapshot flags lo as loopback so a view can hide it; the samples keep
 * the plain `interface` label so the label set stays the same for every interface.
 */
const FIELDS = [
	'rx_bytes',
	'rx_packets',
	'rx_errors',
	'rx_drops',
	'tx_bytes',
	'tx_packets',
	'tx_errors',
	'tx_drops',
] as const;
/** Column of each field in a /proc/net/dev row (after the interface name). */
const COLUMN: Record<(typeof FIELDS)[number], number> = {
	rx_bytes: 0,
	rx_packets: 1,
	rx_errors: 2,
	rx_drops: 3,
	tx_bytes: 8,
	tx_packets: 9,
	tx_errors: 10,
	tx_drops: 11,
};

export interface NetRaw {
	interfaces: string[];
}

export function parseNetDev(text: string): { counters: CounterSet; interfaces: string[] } {
	const counters: CounterSet = {};
	const interfaces: string[] = [];
	for (const line of text.split('\n')) {
		const colon = line.indexOf(':');
		if (colon < 0 || line.includes('|')) continue;
		const name = line.slice(0, colon).trim();
		const values = line
			.slice(colon + 1)
			.trim()
			.split(/\s+/)
			.map(Number);
		if (!name || values.length < 16) continue;
		interfaces.push(name);
		for (const f of FIELDS) counters[`${name}:${f}`] = values[COLUMN[f]];
	}
	return { counters, interfaces };
}

export const networkPart: HostPart<NetRaw> = {
	name: 'net',
	hasCounters: true,
	async read(env) {
		const { counters, interfaces } = parseNetDev(await readText(`${env.procRoot}/net/dev`));
		return { counters, raw: { interfaces } };
	},
	build({ raw, rates }) {
		const samples: Sample[] = [];
		const network: Array<Record<string, number | string | boolean>> = [];
		for (const iface of raw.interfaces) {
			if (FIELDS.some((f) => rates[`${iface}:${f}`] === undefined)) continue; // appeared this run
			const row: Record<string, number | string | boolean> = {
				interface: iface,
				loopback: iface === 'lo',
			};
			for (const f of FIELDS) {
				const name: MetricName = `net_${f}_per_second`;
				const value = round(rates[`${iface}:${f}`]);
				row[camel(name)] = value;
				samples.push({ name, value, labels: { interface: iface } });
			}
			network.push(row);
		}
		return { samples, snapshot: { network } };
	},
};
