/**
 * Alert messages in the reader's language. The store keeps the one English line that was sent
 * (mail, chat), written by core/alerts/message.ts in a fixed shape; the dashboard reads that shape
 * back and writes it again in Korean: preset names, aggregations, units and durations by table,
 * the UTC time as the reader's local clock. A message of another shape (a workflow's own text)
 * is shown as it is.
 */
import { fmtDateTime } from './format';
import { lang, messages, t, type MessageKey } from './i18n';

const VALUE = String.raw`(no data|-?[\d.e+]+(?: failed checks| [^\s()]+)?)`;
const FIRING = new RegExp(
	String.raw`^(Still firing|Firing): (.+): ${VALUE}(?: \(([^)]+)\))? (>=|<=|>|<) ${VALUE} since (\d{4}-\d\d-\d\d \d\d:\d\d) UTC$`,
);
const STOPPED = /^Resolved: (.+): stopped reporting \(was firing for (.+)\)$/;
const BACK = new RegExp(
	String.raw`^Resolved: (.+): ${VALUE}(?: \(([^)]+)\))?, back past ${VALUE} after (.+)$`,
);
const EXPIRED = 'Resolved (expired): ';

function known(key: string): key is MessageKey {
	return Object.hasOwn(messages.en, key);
}

/** t() for a key built from English text; the text itself when there is no such key. */
function tr(prefix: string, text: string): string {
	const key = `${prefix}${text}`;
	return known(key) ? t(key) : text;
}

/** "Filesystem almost full on web-1 /var": the rule's name translated when it is a preset's. */
function what(text: string): string {
	const at = text.indexOf(' on ');
	if (at < 0) return text;
	return t('alertOn', { name: tr('preset_', text.slice(0, at)), target: text.slice(at + 4) });
}

/** "12 %", "5 days", "no data". */
function value(text: string): string {
	if (text === 'no data') return t('noDataValue');
	const space = text.indexOf(' ');
	if (space < 0) return text;
	const unit = text.slice(space + 1);
	const word = tr('unit_', unit);
	// Korean writes counted units without a space ("5일"); symbols keep theirs ("90 %").
	return word === unit ? text : `${text.slice(0, space)}${word}`;
}

const how = (agg: string | undefined) => (agg ? ` (${tr('agg_', agg)})` : '');

/** "2 h 5 min", "45 min", "3 h" (core/alerts/message.ts duration). */
function duration(text: string): string {
	const m = /^(?:(\d+) h)?(?: ?(\d+) min)?$/.exec(text);
	if (!m || (!m[1] && !m[2])) return text;
	if (!m[1]) return t('durationMin', { n: m[2] });
	return m[2] ? t('durationHoursMin', { h: m[1], m: m[2] }) : t('durationHours', { h: m[1] });
}

export function alertText(message: string | undefined): string {
	const text = message ?? '';
	if (lang() === 'en') return text;
	if (text.startsWith(EXPIRED))
		return `${t('alertResolvedExpired')}: ${alertText(text.slice(EXPIRED.length))}`;
	let m = FIRING.exec(text);
	if (m) {
		return t('alertFiringText', {
			state: m[1] === 'Firing' ? t('alertFiring') : t('alertStillFiring'),
			what: what(m[2]),
			value: value(m[3]),
			how: how(m[4]),
			cmp: m[5],
			threshold: value(m[6]),
			time: fmtDateTime(Date.parse(`${m[7].replace(' ', 'T')}:00Z`)),
		});
	}
	m = STOPPED.exec(text);
	if (m) return t('alertStoppedText', { what: what(m[1]), duration: duration(m[2]) });
	m = BACK.exec(text);
	if (m) {
		return t('alertBackText', {
			what: what(m[1]),
			value: value(m[2]),
			how: how(m[3]),
			threshold: value(m[4]),
			duration: duration(m[5]),
		});
	}
	return text;
}
