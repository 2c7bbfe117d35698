import { readText, type HostPart } from './part';

export const uptimePart: HostPart<{ seconds: number }> = {
	name: 'uptime',
	hasCounters: false,
	async read(env) {
		const seconds = Number((await readText(`${env.procRoot}/uptime`)).trim().split(/\s+/)[0]);
		if (!Number.isFinite(seconds)) throw new Error('unreadable /proc/uptime');
		return { counters: {}, raw: { seconds } };
	},
	build({ raw }) {
		return {
			samples: [{ name: 'uptime_seconds', value: raw.seconds }],
			snapshot: { uptimeSeconds: raw.seconds },
		};
	},
};
