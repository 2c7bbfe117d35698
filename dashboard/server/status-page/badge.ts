import type { PublicStatus } from '../../../core/query/status-page';
import { formatPercent } from './i18n';

/** Every character that XML treats as markup, escaped for text and attribute values alike. */
export function escapeXml(text: string): string {
	// Control characters other than tab and newlines are not allowed in XML 1.0 at all.
	return text
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
		.replace(
			/[&<>"']/g,
			(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
		);
}

const COLORS: Record<PublicStatus | 'good' | 'fair' | 'poor', string> = {
	operational: '#1f9d55',
	degraded: '#c27c0e',
	down: '#d0342c',
	nodata: '#6b7785',
	maintenance: '#3b6fd4',
	good: '#1f9d55',
	fair: '#c27c0e',
	poor: '#d0342c',
};

/**
 * The width a string takes in 11 px Verdana, about: shields.io's measure, close enough that
 * the text never overflows its half. Wide (Hangul, CJK) characters count as about 11 px.
 */
function textWidth(text: string): number {
	let w = 0;
	for (const ch of text) {
		const c = ch.codePointAt(0)!;
		if (c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xffdc))) w += 11;
		else if ("ilI.,:;|!'`".includes(ch)) w += 3.5;
		else if ('mwMW@%'.includes(ch)) w += 10;
		else if (/[A-Z0-9]/.test(ch)) w += 7.5;
		else w += 6.5;
	}
	return Math.ceil(w);
}

/** A flat two-part badge (label | value), in the style READMEs are used to. */
export function badgeSvg(label: string, value: string, color: string): string {
	const l = label.length > 60 ? label.slice(0, 59) + '…' : label;
	const lw = textWidth(l) + 12;
	const vw = textWidth(value) + 12;
	const w = lw + vw;
	const el = escapeXml(l);
	const ev = escapeXml(value);
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${el}: ${ev}"><title>${el}: ${ev}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="14">${el}</text><text x="${lw + vw / 2}" y="14">${ev}</text></g></svg>`;
}

export function statusBadge(label: string, status: PublicStatus, statusText: string): string {
	return badgeSvg(label, statusText, COLORS[status]);
}

export function uptimeBadge(label: string, percent: number | null, noData: string): string {
	if (percent === null) return badgeSvg(label, noData, COLORS.nodata);
	const color = percent >= 99.9 ? COLORS.good : percent >= 99 ? COLORS.fair : COLORS.poor;
	return badgeSvg(label, formatPercent(percent).replace(' ', ''), color);
}
