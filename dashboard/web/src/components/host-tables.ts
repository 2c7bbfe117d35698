/**
 * The host view's tables and facts, from the host collector's latest snapshot
 * (core/collectors/host HostSnapshot). Every field is checked: the snapshot is stored JSON and
 * an older collector may have left fewer fields.
 */
import { html, nothing } from 'lit';
import { fmtBytes, fmtNumber, fmtPercent, isNum } from '../format';
import { t } from '../i18n';

interface Filesystem {
	mount?: string;
	device?: string;
	fstype?: string;
	sizeBytes?: number;
	usedBytes?: number;
	freeBytes?: number;
	usedPercent?: number;
	inodesTotal?: number;
	inodesUsed?: number;
}

interface Process {
	pid?: number;
	name?: string;
	user?: string;
	cpuPercent?: number | null;
	rssBytes?: number;
	command?: string;
}

export interface HostSnapshotView {
	cpu?: { count?: number };
	filesystems?: Filesystem[];
	processes?: { count?: number; byCpu?: Process[]; byMemory?: Process[] };
	uptimeSeconds?: number;
	os?: { distro?: string | null; platform?: string; release?: string };
}

/** The snapshot out of /api/snapshot's answer ({snapshot: …}), or nothing. */
export function hostSnapshot(answer: unknown): HostSnapshotView | undefined {
	const s = (answer as { snapshot?: unknown } | undefined)?.snapshot;
	return s && typeof s === 'object' ? (s as HostSnapshotView) : undefined;
}

const list = <T>(v: T[] | undefined): T[] =>
	Array.isArray(v) ? v.filter((x) => x && typeof x === 'object') : [];

function uptime(seconds: number): string {
	const days = Math.floor(seconds / 86_400);
	return days >= 1
		? t('days', { n: days })
		: t('hours', { n: Math.max(0, Math.floor(seconds / 3600)) });
}

/** "8 cores · up 3 d · Debian 12", what is known of it. */
export function hostFacts(s: HostSnapshotView | undefined) {
	if (!s) return nothing;
	const cores = s.cpu?.count;
	const os = s.os?.distro || [s.os?.platform, s.os?.release].filter(Boolean).join(' ');
	if (!isNum(cores) || !isNum(s.uptimeSeconds)) return nothing;
	return html`<p class="muted facts">
		${t('hostFacts', { cores, uptime: uptime(s.uptimeSeconds), os: os || '—' })}
	</p>`;
}

export function filesystemTable(s: HostSnapshotView | undefined) {
	const rows = list(s?.filesystems);
	if (!rows.length) return nothing;
	return html`<div class="card wide">
		<h3>${t('fsTable')}</h3>
		<div class="table-wrap">
			<table class="fs-table">
				<thead>
					<tr>
						<th>${t('mount')}</th>
						<th>${t('device')}</th>
						<th>${t('fsType')}</th>
						<th>${t('fsSize')}</th>
						<th>${t('fsUsed')}</th>
						<th>${t('fsFree')}</th>
						<th>${t('inodesUsed')}</th>
					</tr>
				</thead>
				<tbody>
					${rows.map(
						(f) =>
							html`<tr>
								<td class="name">${f.mount ?? ''}</td>
								<td class="name">${f.device ?? ''}</td>
								<td>${f.fstype ?? ''}</td>
								<td>${fmtBytes(f.sizeBytes)}</td>
								<td>${fmtBytes(f.usedBytes)} (${fmtPercent(f.usedPercent)})</td>
								<td>${fmtBytes(f.freeBytes)}</td>
								<td>
									${isNum(f.inodesTotal) && f.inodesTotal > 0 && isNum(f.inodesUsed)
										? fmtPercent((100 * f.inodesUsed) / f.inodesTotal)
										: '—'}
								</td>
							</tr>`,
					)}
				</tbody>
			</table>
		</div>
	</div>`;
}

function processTable(title: string, rows: Process[]) {
	if (!rows.length) return nothing;
	return html`<div class="card">
		<h3>${title}</h3>
		<div class="table-wrap">
			<table class="top-processes">
				<thead>
					<tr>
						<th>${t('pid')}</th>
						<th>${t('process')}</th>
						<th>${t('user')}</th>
						<th>${t('cpuPercent')}</th>
						<th>${t('rss')}</th>
					</tr>
				</thead>
				<tbody>
					${rows.map(
						(p) =>
							html`<tr>
								<td>${isNum(p.pid) ? p.pid : ''}</td>
								<td class="name" title=${p.command ?? ''}>${p.name ?? ''}</td>
								<td class="name">${p.user ?? ''}</td>
								<td>${isNum(p.cpuPercent) ? `${fmtNumber(p.cpuPercent, 1)} %` : '—'}</td>
								<td>${fmtBytes(p.rssBytes)}</td>
							</tr>`,
					)}
				</tbody>
			</table>
		</div>
	</div>`;
}

export function processTables(s: HostSnapshotView | undefined) {
	return html`${processTable(t('topByCpu'), list(s?.processes?.byCpu))}
	${processTable(t('topByMemory'), list(s?.processes?.byMemory))}`;
}
