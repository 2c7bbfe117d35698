/**
 * The metric catalog against what the project says and does: the README's metric tables name
 * exactly the catalog's series, the alert presets and the overview read catalog metrics, and
 * every entry is complete.
 */
import fs from 'node:fs';
import { N8N_PAGE } from '../../core/n8n/process';
import path from 'node:path';

import { PRESETS } from '../../core/alerts/presets';
import { METRICS, metricInfo, thresholdsOf, type MetricName } from '../../core/catalog/metrics';
import { THRESHOLDS } from '../../core/query';

const ROOT = path.resolve(__dirname, '..', '..');
const NAMES = Object.keys(METRICS) as MetricName[];
/** The first word of every catalog name: a backticked word starting so is meant as a metric. */
const FAMILIES = new Set(NAMES.map((n) => n.split('_')[0]));

/** `a_{x,y}_b` → a_x_b, a_y_b (nested sets multiply). */
function expandBraces(name: string): string[] {
	const m = /\{([^{}]*)\}/.exec(name);
	if (!m) return [name];
	return m[1]
		.split(',')
		.flatMap((alt) =>
			expandBraces(name.slice(0, m.index) + alt + name.slice(m.index + m[0].length)),
		);
}

/**
 * The metric names a backticked README token stands for, as patterns: labels in trailing braces
 * are dropped, inner braces expand, `*` matches any part, and `_used_bytes` after
 * `filesystem_size_bytes` means `filesystem_used_bytes`.
 */
function namesIn(token: string, previous: string | undefined): RegExp[] {
	let t = token.split(' ')[0];
	// Trailing braces are labels (`load_average{period}`), unless they finish a name (`_{a,b}`).
	t = t.replace(/([^_])\{[^{}]*\}$/, '$1');
	if (t.startsWith('_') && previous) t = previous.split('_')[0] + t;
	if (!/^[a-z][a-z0-9]*(_[a-z0-9{},*]+)+$/.test(t) || !FAMILIES.has(t.split('_')[0])) return [];
	return expandBraces(t).map((n) => new RegExp(`^${n.replace(/\*/g, '[a-z0-9_]+')}$`));
}

/** Every metric pattern named in backticks in a piece of Markdown. */
function readmeNames(markdown: string): RegExp[] {
	const out: RegExp[] = [];
	let previous: string | undefined;
	for (const m of markdown.matchAll(/`([^`]+)`/g)) {
		const token = m[1].replace(/\\\|/g, '|');
		const found = namesIn(token, previous);
		if (found.length && !token.startsWith('_')) previous = token;
		out.push(...found);
	}
	return out;
}

function section(markdown: string, heading: string): string {
	const start = markdown.indexOf(heading);
	expect(start).toBeGreaterThanOrEqual(0);
	const end = markdown.indexOf('\n## ', start + heading.length);
	return markdown.slice(start, end < 0 ? undefined : end);
}

describe('the README and the catalog', () => {
	const readme = section(
		fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'),
		'## What it collects today',
	);
	const databaseReadme = fs.readFileSync(
		path.join(ROOT, 'core', 'collectors', 'database', 'README.md'),
		'utf8',
	);
	const documented = [...readmeNames(readme), ...readmeNames(databaseReadme)];

	it('finds the metric names in the README', () => {
		expect(documented.length).toBeGreaterThan(80);
	});

	it('names no series that the catalog does not have', () => {
		const unknown = documented.filter((re) => !NAMES.some((n) => re.test(n))).map(String);
		expect(unknown).toEqual([]);
	});

	it('names every series of the catalog', () => {
		const missing = NAMES.filter((n) => !documented.some((re) => re.test(n)));
		expect(missing).toEqual([]);
	});

	it('writes each help text as one quoted line, the shape the dashboard build strips', () => {
		// scripts/build-dashboard.js leaves help texts out of the browser bundle by this shape.
		const source = fs.readFileSync(path.join(__dirname, '../../core/catalog/metrics.ts'), 'utf8');
		const oneLine = source.match(/\bhelp: (?:'[^'\n]*'|"[^"\n]*"),/g) ?? [];
		expect(oneLine).toHaveLength(NAMES.length);
	});

	it('gives every series a unit, a kind, help text and its collector', () => {
		for (const name of NAMES) {
			const m = metricInfo(name)!;
			expect(m.help.length).toBeGreaterThan(3);
			expect(m.collector).toMatch(/^(\*|host|gpu|model_server|endpoint|database|n8n|containers)$/);
			// Prometheus-style names carry their unit; counters end in _total.
			if (m.kind === 'counter') expect(name).toMatch(/_total$/);
			if (m.unit === 'percent') expect(name).toMatch(/_percent$/);
			if (m.unit === 'bytes') expect(name).toMatch(/_bytes$/);
			if (m.unit === 'seconds') expect(name).toMatch(/_seconds$/);
			if (m.unit === 'bytes_per_second' || m.unit === 'per_second')
				expect(name).toMatch(/_per_second$/);
			if ((m.warning === undefined) !== (m.critical === undefined))
				throw new Error(`${name} has one threshold of two`);
		}
	});
});

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
	});
}

describe('the collectors and the catalog', () => {
	const files = [
		...sources(path.join(ROOT, 'core', 'collectors')),
		...sources(path.join(ROOT, 'core', 'n8n')),
	];
	const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
	/** Words of a metric family that are not series: nvidia-smi fields, a label, a collector. */
	const NOT_SERIES = new Set([
		'process_name',
		'gpu_uuid',
		'gpu_idle',
		'model_server',
		'model_name',
		// n8n's own /metrics names that Process Health reads (core/n8n/process.ts)
		...Object.values(N8N_PAGE),
	]);

	it('write no series name that the catalog does not have', () => {
		const unknown = new Set<string>();
		for (const m of text.matchAll(/'([a-z0-9]+(?:_[a-z0-9]+)+)'/g))
			if (FAMILIES.has(m[1].split('_')[0]) && !metricInfo(m[1]) && !NOT_SERIES.has(m[1]))
				unknown.add(m[1]);
		expect([...unknown]).toEqual([]);
	});

	it('write every series of the catalog', () => {
		const network = fs.readFileSync(
			path.join(ROOT, 'core', 'collectors', 'host', 'network.ts'),
			'utf8',
		);
		const unwritten = NAMES.filter((n) => {
			// net_<field>_per_second is built from the /proc/net/dev fields.
			const net = /^net_(.+)_per_second$/.exec(n);
			if (net) return !network.includes(`'${net[1]}'`);
			// A name in quotes, or as the key of an engine's gauges ({ sqlite_page_count: … }).
			return !text.includes(`'${n}'`) && !new RegExp(`\\b${n}: `).test(text);
		});
		expect(unwritten).toEqual([]);
	});
});

describe('the catalog in use', () => {
	it('gives the overview its thresholds', () => {
		expect(THRESHOLDS.cpu).toEqual(thresholdsOf('cpu_usage_percent'));
		expect(THRESHOLDS.certDaysLeft).toEqual({ warning: 14, critical: 3, below: true });
	});

	it('fires the CPU preset where the overview turns amber', () => {
		expect(PRESETS.cpuHigh.threshold).toBe(THRESHOLDS.cpu.warning);
		expect(PRESETS.cpuHigh.description).toContain(`${THRESHOLDS.cpu.warning} %`);
	});

	it('fires each threshold preset where the overview turns amber (warning) or red (critical)', () => {
		const judged = Object.entries(PRESETS).filter(
			([, p]) =>
				p.source.kind === 'metric' &&
				['avg', 'last', 'max', 'min'].includes(p.source.aggregation) &&
				metricInfo(p.source.metric)?.warning !== undefined,
		);
		expect(judged.map(([k]) => k).sort()).toEqual(
			[
				'certificateExpiring',
				'containerMemoryHigh',
				'databaseConnections',
				'cpuHigh',
				'diskFull',
				'gpuHot',
				'memoryHigh',
				'poolExhausted',
				'workflowFailureRate',
			].sort(),
		);
		for (const [key, preset] of judged) {
			const metric = (preset.source as { metric: MetricName }).metric;
			const mark = thresholdsOf(metric)[preset.severity as 'warning' | 'critical'];
			expect([key, preset.threshold]).toEqual([key, mark]);
		}
	});

	it('has every preset watch a catalog metric', () => {
		for (const preset of Object.values(PRESETS))
			if (preset.source.kind === 'metric') expect(metricInfo(preset.source.metric)).toBeDefined();
	});

	it('knows nothing of names that are not in it', () => {
		expect(metricInfo('weird_metric')).toBeUndefined();
		expect(metricInfo('toString')).toBeUndefined();
	});
});
