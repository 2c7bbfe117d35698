import type { PublicStatus, UptimeRange } from '../../../core/query/status-page';
import type { IncidentUpdateStatus } from '../../../core/query/incidents';

/** Every string a status page, its badges and its feed show, in each language it speaks. */
export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Strings {
	status: Record<PublicStatus, string>;
	/** The banner: how the whole page stands. */
	overall: Record<PublicStatus, string>;
	update: Record<IncidentUpdateStatus, string>;
	range: Record<UptimeRange, string>;
	uptime: string;
	currentIncidents: string;
	pastIncidents: string;
	noPastIncidents: string;
	maintenance: string;
	maintenanceNow: string;
	maintenancePlanned: string;
	affects: string;
	started: string;
	resolved: string;
	ongoing: string;
	duration: string;
	/** "{name} went down" / "{name} recovered". */
	wentDown: string;
	recovered: string;
	/** An incident without a title, by its items. */
	disruption: string;
	daysAgo: (n: number) => string;
	today: string;
	dayUp: (day: string, percent: string, downMinutes: number) => string;
	dayNoData: (day: string) => string;
	noItems: string;
	updated: string;
	refreshes: (seconds: number) => string;
	feed: string;
	json: string;
	since: string;
	host: string;
	target: string;
	url: string;
	lastError: string;
	minutes: (n: number) => string;
	hours: (h: number, m: number) => string;
	days: (d: number, h: number) => string;
	unavailable: string;
}

export const STRINGS: Record<Language, Strings> = {
	en: {
		status: {
			operational: 'Operational',
			degraded: 'Degraded',
			down: 'Down',
			nodata: 'No data',
			maintenance: 'Maintenance',
		},
		overall: {
			operational: 'All systems operational',
			degraded: 'Some systems are degraded',
			down: 'Some systems are down',
			nodata: 'Some systems report no data',
			maintenance: 'Maintenance in progress',
		},
		update: {
			investigating: 'Investigating',
			identified: 'Identified',
			monitoring: 'Monitoring',
			update: 'Update',
			resolved: 'Resolved',
		},
		range: { '24h': '24 hours', '7d': '7 days', '30d': '30 days', '90d': '90 days' },
		uptime: 'uptime',
		currentIncidents: 'Current incidents',
		pastIncidents: 'Past incidents',
		noPastIncidents: 'No incidents in the last 90 days.',
		maintenance: 'Maintenance',
		maintenanceNow: 'Maintenance in progress',
		maintenancePlanned: 'Planned maintenance',
		affects: 'Affects',
		started: 'Started',
		resolved: 'Resolved',
		ongoing: 'Ongoing',
		duration: 'Duration',
		wentDown: 'went down',
		recovered: 'recovered',
		disruption: 'Disruption',
		daysAgo: (n) => `${n} days ago`,
		today: 'Today',
		dayUp: (day, percent, down) => `${day}: ${percent} up${down > 0 ? `, ${down} min down` : ''}`,
		dayNoData: (day) => `${day}: no data`,
		noItems: 'Nothing is listed on this page yet.',
		updated: 'Updated',
		refreshes: (s) => `refreshes every ${s} s`,
		feed: 'Incident feed (Atom)',
		json: 'JSON',
		since: 'since',
		host: 'Host',
		target: 'Target',
		url: 'URL',
		lastError: 'Last error',
		minutes: (n) => `${n} min`,
		hours: (h, m) => (m ? `${h} h ${m} min` : `${h} h`),
		days: (d, h) => (h ? `${d} d ${h} h` : `${d} d`),
		unavailable: 'The status page cannot read its data right now. Please try again shortly.',
	},
	ko: {
		status: {
			operational: '정상',
			degraded: '성능 저하',
			down: '중단',
			nodata: '데이터 없음',
			maintenance: '점검 중',
		},
		overall: {
			operational: '모든 시스템 정상',
			degraded: '일부 시스템 성능 저하',
			down: '일부 시스템 중단',
			nodata: '일부 시스템 데이터 없음',
			maintenance: '점검 진행 중',
		},
		update: {
			investigating: '조사 중',
			identified: '원인 확인',
			monitoring: '모니터링 중',
			update: '업데이트',
			resolved: '해결됨',
		},
		range: { '24h': '24시간', '7d': '7일', '30d': '30일', '90d': '90일' },
		uptime: '가동률',
		currentIncidents: '진행 중인 장애',
		pastIncidents: '지난 장애',
		noPastIncidents: '최근 90일간 장애가 없습니다.',
		maintenance: '점검',
		maintenanceNow: '점검 진행 중',
		maintenancePlanned: '예정된 점검',
		affects: '대상',
		started: '시작',
		resolved: '해결',
		ongoing: '진행 중',
		duration: '지속 시간',
		wentDown: '중단됨',
		recovered: '복구됨',
		disruption: '장애',
		daysAgo: (n) => `${n}일 전`,
		today: '오늘',
		dayUp: (day, percent, down) => `${day}: 가동률 ${percent}${down > 0 ? `, ${down}분 중단` : ''}`,
		dayNoData: (day) => `${day}: 데이터 없음`,
		noItems: '이 페이지에 아직 등록된 항목이 없습니다.',
		updated: '갱신',
		refreshes: (s) => `${s}초마다 새로 고침`,
		feed: '장애 피드 (Atom)',
		json: 'JSON',
		since: '부터',
		host: '호스트',
		target: '대상',
		url: 'URL',
		lastError: '마지막 오류',
		minutes: (n) => `${n}분`,
		hours: (h, m) => (m ? `${h}시간 ${m}분` : `${h}시간`),
		days: (d, h) => (h ? `${d}일 ${h}시간` : `${d}일`),
		unavailable: '상태 페이지가 지금 데이터를 읽을 수 없습니다. 잠시 후 다시 시도해 주세요.',
	},
};

/** The language a browser asks for first among those a page speaks (Accept-Language, RFC 9110). */
export function negotiateLanguage(header: string | undefined, fallback: Language = 'en'): Language {
	if (!header) return fallback;
	const wanted = header
		.split(',')
		.map((part, index) => {
			const [tag, ...params] = part.trim().toLowerCase().split(';');
			const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
			return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
		})
		.filter((w) => w.tag && Number.isFinite(w.q) && w.q > 0)
		.sort((a, b) => b.q - a.q || a.index - b.index);
	for (const w of wanted) {
		const primary = w.tag.split('-')[0];
		if ((LANGUAGES as readonly string[]).includes(primary)) return primary as Language;
	}
	return fallback;
}

/** A length of time in the page's words: 5 min, 2 h 10 min, 3 d 4 h. */
export function formatDuration(ms: number, t: Strings): string {
	const minutes = Math.max(0, Math.round(ms / 60_000));
	if (minutes < 60) return t.minutes(minutes);
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return t.hours(hours, minutes % 60);
	return t.days(Math.floor(hours / 24), hours % 24);
}

/** A time as UTC, the same for every reader and every cache: 2026-03-01 14:05 UTC. */
export function formatTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function formatPercent(value: number | null): string {
	if (value === null) return '–';
	// 99.999 shows as 99.99 %, never rounded up to 100 % while a minute was down.
	const floored = Math.floor(value * 100) / 100;
	return `${floored.toFixed(2)} %`;
}
