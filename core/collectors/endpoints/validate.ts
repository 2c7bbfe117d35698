import { displayUrl } from '../../http';
import type { EndpointCheck } from './types';

export interface CheckProblem {
	/** Position in the checks list; -1 for the list itself. */
	index: number;
	message: string;
}

/** An inclusive range of status codes. */
export type StatusRange = [number, number];

export const DEFAULT_EXPECTED: StatusRange[] = [[200, 299]];

/** A token as RFC 9110 defines it: what a method or a header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Parses an expected status: a list of codes, or text like "200-299, 301". Returns the ranges,
 * or a message saying what is wrong. Undefined or empty means the default, 200-299.
 */
export function parseExpectedStatus(spec: unknown): StatusRange[] | string {
	if (spec === undefined || spec === null || spec === '') return DEFAULT_EXPECTED;
	const code = (n: number) => Number.isInteger(n) && n >= 100 && n <= 599;
	if (Array.isArray(spec)) {
		if (spec.length === 0) return DEFAULT_EXPECTED;
		const bad = spec.find((n) => typeof n !== 'number' || !code(n));
		if (bad !== undefined)
			return `expected status ${JSON.stringify(bad)} is not a code from 100 to 599`;
		return spec.map((n: number) => [n, n]);
	}
	if (typeof spec === 'number')
		return code(spec) ? [[spec, spec]] : `expected status ${spec} is not a code from 100 to 599`;
	if (typeof spec !== 'string') return 'expected status must be codes such as "200-299,301"';
	const ranges: StatusRange[] = [];
	for (const part of spec.split(',')) {
		const m = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(part);
		const lo = m ? Number(m[1]) : NaN;
		const hi = m ? Number(m[2] ?? m[1]) : NaN;
		if (!m || !code(lo) || !code(hi) || hi < lo) {
			return `expected status "${spec}" is not a list of codes or ranges such as "200-299,301"`;
		}
		ranges.push([lo, hi]);
	}
	return ranges;
}

/** "200-299,301": how a reason names the expected codes. */
export function formatExpected(ranges: StatusRange[]): string {
	return ranges.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(',');
}

/** The label a check's samples carry: its name, else the URL without credentials or query. */
export function checkLabel(check: Pick<EndpointCheck, 'name' | 'url'>): string {
	const name = typeof check.name === 'string' ? check.name.trim() : '';
	return name || displayUrl(String(check.url));
}

/**
 * Problems with a list of checks, as data: the node turns them into NodeOperationErrors, the
 * collector into down checks. An empty list; a URL that is not a URL or not http(s); a method or
 * header name that is not a token; a header value that is not a string or holds a line break
 * (values are never quoted); an expected status that does not parse; jsonEquals without
 * jsonPath; a timeout that is not a positive number; two checks with the same label (their
 * series would merge).
 */
export function validateChecks(checks: unknown): CheckProblem[] {
	if (!Array.isArray(checks)) return [{ index: -1, message: 'checks must be a list' }];
	if (checks.length === 0) return [{ index: -1, message: 'no checks: add at least one URL' }];
	const problems: CheckProblem[] = [];
	const seen = new Map<string, number>();
	checks.forEach((raw, index) => {
		const at = `check ${index + 1}`;
		const push = (message: string) => problems.push({ index, message: `${at}: ${message}` });
		const check = raw as Partial<EndpointCheck> | null;
		if (!check || typeof check !== 'object') return push('not an object with a url');
		let urlOk = false;
		if (typeof check.url !== 'string' || check.url.trim() === '') push('url is missing');
		else {
			let u: URL | undefined;
			try {
				u = new URL(check.url);
			} catch {
				// Quote what was typed (it helps to see it) less anything that looks like user info.
				const shown = check.url.replace(/\/\/[^/@]*@/, '//');
				push(
					`"${shown}" is not a URL (expected http:// or https://, e.g. https://example.com/health)`,
				);
			}
			if (u && u.protocol !== 'http:' && u.protocol !== 'https:') {
				push(`${u.protocol}// URLs are not supported (use http:// or https://)`);
			} else if (u) urlOk = true;
		}
		if (
			check.method !== undefined &&
			(typeof check.method !== 'string' || !TOKEN.test(check.method))
		) {
			push('method must be a word such as GET, HEAD or POST');
		}
		if (check.headers !== undefined) {
			const h = check.headers as unknown;
			if (!h || typeof h !== 'object' || Array.isArray(h))
				push('headers must be an object of name: value');
			else {
				for (const [name, value] of Object.entries(h)) {
					if (!TOKEN.test(name)) push(`header name "${name}" is not valid`);
					else if (typeof value !== 'string') push(`header "${name}" must be a string`);
					// Never quote the value: it is often a token.
					else if (/[\r\n\0]/.test(value)) push(`header "${name}" holds a line break`);
				}
			}
		}
		if (check.body !== undefined && typeof check.body !== 'string') push('body must be text');
		const expected = parseExpectedStatus(check.expectedStatus);
		if (typeof expected === 'string') push(expected);
		if (check.bodyContains !== undefined && typeof check.bodyContains !== 'string') {
			push('bodyContains must be text');
		}
		if (
			check.jsonPath !== undefined &&
			(typeof check.jsonPath !== 'string' || check.jsonPath.trim() === '')
		) {
			push('jsonPath must be a dotted path such as "status" or "data.items.0.state"');
		}
		if (check.jsonEquals !== undefined) {
			if (typeof check.jsonEquals !== 'string') push('jsonEquals must be text');
			else if (!check.jsonPath) push('jsonEquals needs a jsonPath to compare');
		}
		if (
			check.timeoutMs !== undefined &&
			!(
				typeof check.timeoutMs === 'number' &&
				Number.isFinite(check.timeoutMs) &&
				check.timeoutMs > 0
			)
		) {
			push('timeoutMs must be a positive number of milliseconds');
		}
		if (urlOk) {
			const label = checkLabel(check as EndpointCheck);
			const first = seen.get(label);
			if (first !== undefined) push(`same label "${label}" as check ${first + 1}; give one a name`);
			else seen.set(label, index);
		}
	});
	return problems;
}
