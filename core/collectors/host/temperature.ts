import { promises as fs } from 'node:fs';
import type { Sample } from '../types';
import { isMissing, readOptionalAsync, round, type HostPart } from './part';

/*
 * hwmon first (chip name + temp*_label, as `sensors` shows them), then thermal zones. Virtual
 * machines and containers often have neither: that yields no samples and no warning. A single
 * sensor that cannot be read (some return ENODATA or EIO while idle) is skipped quietly.
 */
export interface Temperature {
	sensor: string;
	celsius: number;
}

async function listDir(dir: string): Promise<string[]> {
	try {
		return await fs.readdir(dir);
	} catch (error) {
		if (isMissing(error)) return [];
		throw error;
	}
}

async function quiet(file: string): Promise<string | undefined> {
	try {
		return (await readOptionalAsync(file))?.trim();
	} catch {
		return undefined;
	}
}

function celsius(text: string | undefined): number | undefined {
	const milli = Number(text);
	if (text === undefined || text === '' || !Number.isFinite(milli)) return undefined;
	const value = milli / 1000;
	// Unplugged channels report -273 or absurd values.
	return value > -60 && value < 200 ? round(value, 1) : undefined;
}

async function hwmon(sysRoot: string): Promise<Temperature[]> {
	const base = `${sysRoot}/class/hwmon`;
	const chips = await listDir(base);
	const perChip = await Promise.all(
		chips.map(async (chip) => {
			const dir = `${base}/${chip}`;
			const [files, name] = await Promise.all([listDir(dir).catch(() => []), quiet(`${dir}/name`)]);
			const inputs = files.filter((f) => /^temp\d+_input$/.test(f)).sort(natural);
			return Promise.all(
				inputs.map(async (input) => {
					const prefix = input.slice(0, -'_input'.length);
					const [value, label] = await Promise.all([
						quiet(`${dir}/${input}`),
						quiet(`${dir}/${prefix}_label`),
					]);
					const c = celsius(value);
					return c === undefined
						? null
						: { sensor: `${name || chip}/${label || prefix}`, celsius: c };
				}),
			);
		}),
	);
	return perChip.flat().filter((t): t is Temperature => t !== null);
}

async function thermal(sysRoot: string): Promise<Temperature[]> {
	const base = `${sysRoot}/class/thermal`;
	const zones = (await listDir(base)).filter((z) => z.startsWith('thermal_zone')).sort(natural);
	const out = await Promise.all(
		zones.map(async (zone) => {
			const [value, type] = await Promise.all([
				quiet(`${base}/${zone}/temp`),
				quiet(`${base}/${zone}/type`),
			]);
			const c = celsius(value);
			return c === undefined ? null : { sensor: `${zone}/${type || 'unknown'}`, celsius: c };
		}),
	);
	return out.filter((t): t is Temperature => t !== null);
}

function natural(a: string, b: string): number {
	return a.localeCompare(b, 'en', { numeric: true });
}

export const temperaturePart: HostPart<{ temperatures: Temperature[] }> = {
	name: 'temperature',
	hasCounters: false,
	async read(env) {
		const [h, t] = await Promise.all([hwmon(env.sysRoot), thermal(env.sysRoot)]);
		const temperatures = [...h, ...t];
		// No sensors is normal on VMs: not an error, and not a sign that anything was read.
		return temperatures.length ? { counters: {}, raw: { temperatures } } : null;
	},
	build({ raw }) {
		const samples: Sample[] = raw.temperatures.map((t) => ({
			name: 'temperature_celsius',
			value: t.celsius,
			labels: { sensor: t.sensor },
		}));
		return { samples, snapshot: { temperatures: raw.temperatures } };
	},
};
