/** Whether a host matches a filter: empty or `*` is every host; `*` inside matches any text. */
export function matchesHost(pattern: string | undefined, host: string): boolean {
	const p = (pattern ?? '').trim();
	if (p === '' || p === '*') return true;
	if (!p.includes('*')) return p === host;
	const re = new RegExp(
		'^' +
			p
				.split('*')
				.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
				.join('.*') +
			'$',
	);
	return re.test(host);
}

export function matchesLabels(
	wanted: Record<string, string> | undefined,
	labels: Record<string, string>,
): boolean {
	return Object.entries(wanted ?? {}).every(([k, v]) => labels[k] === v);
}
