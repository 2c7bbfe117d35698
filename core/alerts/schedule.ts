import { AlertConfigError } from './errors';
import { matchesHost } from './match';

/** Hours of the week when notifications wait, e.g. nights or weekends, in a time zone. */
export interface QuietHours {
	/** 0 = Sunday … 6 = Saturday, the day the window starts; empty for every day. */
	days: number[];
	/** Minutes after midnight; a window whose end is before its start runs over midnight. */
	startMinute: number;
	endMinute: number;
}

/** A planned period when a host (or all hosts) is expected to misbehave. */
export interface MaintenanceWindow {
	from: number;
	to: number;
	/** Host name or pattern with `*`; empty for every host. */
	host?: string;
}

export interface Schedule {
	timeZone: string;
	quietHours: QuietHours[];
	maintenance: MaintenanceWindow[];
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "HH:MM" (24-hour clock) as minutes after midnight. */
export function parseClock(text: string, what: string): number {
	const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
	if (!m || Number(m[1]) > 24 || Number(m[2]) > 59 || (Number(m[1]) === 24 && m[2] !== '00'))
		throw new AlertConfigError(
			`${what} must be a time like 22:00, not ${JSON.stringify(text)}`,
			'Write the time on a 24-hour clock as HH:MM.',
		);
	return Number(m[1]) * 60 + Number(m[2]);
}

/** Weekday (0 = Sunday) and minutes after midnight of a moment in a time zone. */
function localTime(now: number, timeZone: string): { day: number; minute: number } {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		weekday: 'short',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23',
	}).formatToParts(new Date(now));
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return {
		day: WEEKDAYS.indexOf(get('weekday')),
		minute: Number(get('hour')) * 60 + Number(get('minute')),
	};
}

export function inQuietHours(now: number, timeZone: string, windows: QuietHours[]): boolean {
	if (windows.length === 0) return false;
	const { day, minute } = localTime(now, timeZone);
	const yesterday = (day + 6) % 7;
	const on = (w: QuietHours, d: number) => w.days.length === 0 || w.days.includes(d);
	return windows.some((w) => {
		if (w.startMinute === w.endMinute) return on(w, day); // the whole day
		if (w.startMinute < w.endMinute)
			return on(w, day) && minute >= w.startMinute && minute < w.endMinute;
		// Over midnight: the evening part today, or the morning part of a window that began yesterday.
		return (on(w, day) && minute >= w.startMinute) || (on(w, yesterday) && minute < w.endMinute);
	});
}

/** Whether notifications about this host wait now. */
export function isQuiet(schedule: Schedule | undefined, now: number, host: string): boolean {
	if (!schedule) return false;
	if (inQuietHours(now, schedule.timeZone, schedule.quietHours)) return true;
	return schedule.maintenance.some((w) => now >= w.from && now < w.to && matchesHost(w.host, host));
}

export function checkTimeZone(timeZone: string): string {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return timeZone;
	} catch {
		throw new AlertConfigError(
			`The time zone ${JSON.stringify(timeZone)} is not known`,
			'Use an IANA name such as Europe/Berlin or Asia/Seoul (the workflow settings have a list).',
		);
	}
}
