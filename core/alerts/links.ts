import { createHmac, timingSafeEqual } from 'node:crypto';

/** The name of the key that signs one-click links, among the store's own secrets. */
export const LINK_SECRET = 'link-signing-key';

/** How long an acknowledge link works by default: a week covers a weekend on call. */
export const DEFAULT_ACK_LINK_MS = 7 * 24 * 3_600_000;

/** What a signed link may do; a link signed for one purpose is refused for any other. */
export type LinkPurpose = 'ack';

/**
 * HMAC-SHA256 over purpose, subject and expiry (Unix seconds), base64url. The fields are joined
 * with a separator none of them can hold, so no two different triples sign the same text.
 */
export function signLink(
	secret: string,
	purpose: LinkPurpose,
	subject: number,
	expiresAt: number,
): string {
	return createHmac('sha256', secret)
		.update(`${purpose}\n${subject}\n${expiresAt}`)
		.digest('base64url');
}

/** The one-click acknowledge link of an alert: the dashboard's address + /ack?alert=&exp=&sig=. */
export function ackLink(
	dashboardUrl: string,
	secret: string,
	alertId: number,
	expiresAtMs: number,
): string {
	const exp = Math.floor(expiresAtMs / 1000);
	const base = dashboardUrl.replace(/#.*$/, '').replace(/\/+$/, '');
	const sig = signLink(secret, 'ack', alertId, exp);
	return `${base}/ack?alert=${alertId}&exp=${exp}&sig=${sig}`;
}

export type LinkCheck =
	| { ok: true; subject: number; expiresAt: number }
	/** malformed: a field missing or not a number; forged: the signature does not match. */
	| { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/**
 * Checks a link's fields for a purpose. The signature is checked first and in constant time,
 * so an expired link is told apart only when it was genuine (a forged one never learns more).
 */
export function verifyLink(
	secret: string,
	purpose: LinkPurpose,
	fields: { subject: string | null; exp: string | null; sig: string | null },
	now: number,
): LinkCheck {
	const { subject, exp, sig } = fields;
	if (!subject || !exp || !sig || !/^[1-9]\d{0,14}$/.test(subject) || !/^\d{1,12}$/.test(exp))
		return { ok: false, reason: 'malformed' };
	if (!/^[\w-]{1,128}$/.test(sig)) return { ok: false, reason: 'forged' };
	const expected = Buffer.from(signLink(secret, purpose, Number(subject), Number(exp)), 'utf8');
	const given = Buffer.from(sig, 'utf8');
	const same =
		given.length === expected.length
			? timingSafeEqual(given, expected)
			: (timingSafeEqual(expected, expected), false);
	if (!same) return { ok: false, reason: 'forged' };
	if (Number(exp) * 1000 <= now) return { ok: false, reason: 'expired' };
	return { ok: true, subject: Number(subject), expiresAt: Number(exp) * 1000 };
}
