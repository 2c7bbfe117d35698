import {
	bodyProblem,
	checkLabel,
	parseExpectedStatus,
	statusProblem,
	validateChecks,
	valueAtPath,
} from '../../core/collectors/endpoints';

describe('validateChecks', () => {
	it('accepts a good list', () => {
		expect(
			validateChecks([
				{ url: 'https://example.com/health' },
				{
					name: 'api',
					url: 'http://127.0.0.1:8080/',
					method: 'POST',
					expectedStatus: '200-299,301',
				},
			]),
		).toEqual([]);
	});

	it('names a URL that is not a URL, and schemes other than http(s)', () => {
		const problems = validateChecks([
			{ url: 'not a url' },
			{ url: 'ftp://x' },
			{ url: 'file:///etc/passwd' },
		]);
		expect(problems.map((p) => p.index)).toEqual([0, 1, 2]);
		expect(problems[0].message).toBe(
			'check 1: "not a url" is not a URL (expected http:// or https://, e.g. https://example.com/health)',
		);
		expect(problems[1].message).toBe(
			'check 2: ftp:// URLs are not supported (use http:// or https://)',
		);
		expect(problems[2].message).toBe(
			'check 3: file:// URLs are not supported (use http:// or https://)',
		);
	});

	it('an empty list or no list is a problem', () => {
		expect(validateChecks([])).toEqual([{ index: -1, message: 'no checks: add at least one URL' }]);
		expect(validateChecks(undefined)).toEqual([{ index: -1, message: 'checks must be a list' }]);
	});

	it('flags bad methods, headers, statuses, JSON options, timeouts and duplicate labels without quoting header values', () => {
		const problems = validateChecks([
			{ url: 'http://a/', method: 'GE T' },
			{ url: 'http://b/', headers: { 'bad name': 'x', auth: 'tok\r\nen-secret' } },
			{ url: 'http://c/', expectedStatus: '2xx' },
			{ url: 'http://d/', jsonEquals: 'ok' },
			{ url: 'http://e/', timeoutMs: -1 },
			{ url: 'http://f/x' },
			{ url: 'http://f/x?y=1' },
		]).map((p) => p.message);
		expect(problems).toEqual([
			'check 1: method must be a word such as GET, HEAD or POST',
			'check 2: header name "bad name" is not valid',
			'check 2: header "auth" holds a line break',
			'check 3: expected status "2xx" is not a list of codes or ranges such as "200-299,301"',
			'check 4: jsonEquals needs a jsonPath to compare',
			'check 5: timeoutMs must be a positive number of milliseconds',
			'check 7: same label "http://f/x" as check 6; give one a name',
		]);
		expect(problems.join()).not.toContain('en-secret');
	});

	it('does not quote user info of a string that is not a URL', () => {
		const [p] = validateChecks([{ url: '//admin:hunter22@host' }]);
		expect(p.message).not.toContain('hunter22');
	});
});

describe('parseExpectedStatus and statusProblem', () => {
	it('parses ranges and lists, defaults to 200-299', () => {
		expect(parseExpectedStatus(undefined)).toEqual([[200, 299]]);
		expect(parseExpectedStatus('200-299, 301')).toEqual([
			[200, 299],
			[301, 301],
		]);
		expect(parseExpectedStatus([200, 204])).toEqual([
			[200, 200],
			[204, 204],
		]);
		expect(typeof parseExpectedStatus('300-200')).toBe('string');
		expect(typeof parseExpectedStatus([700])).toBe('string');
	});

	it('says what was expected', () => {
		expect(statusProblem(500, [[200, 299]])).toBe('status 500, expected 200-299');
		expect(
			statusProblem(301, [
				[200, 299],
				[301, 301],
			]),
		).toBeUndefined();
	});
});

describe('valueAtPath and bodyProblem', () => {
	const doc = { status: 'ok', data: { items: [{ state: 'ready' }] }, up: true };

	it('walks objects and arrays', () => {
		expect(valueAtPath(doc, 'data.items.0.state')).toEqual({ found: true, value: 'ready' });
		expect(valueAtPath(doc, 'data.items.1.state')).toEqual({ found: false });
		expect(valueAtPath(doc, 'status.length')).toEqual({ found: false });
	});

	it('compares strings as is and other values as JSON', () => {
		const body = JSON.stringify(doc);
		expect(bodyProblem(body, false, { jsonPath: 'up', jsonEquals: 'true' }, 1024)).toBeUndefined();
		expect(
			bodyProblem(body, false, { jsonPath: 'status', jsonEquals: 'ok' }, 1024),
		).toBeUndefined();
		expect(bodyProblem(body, false, { jsonPath: 'status', jsonEquals: 'down' }, 1024)).toBe(
			'JSON path "status" is "ok", expected "down"',
		);
		expect(bodyProblem(body, false, { bodyContains: 'ready' }, 1024)).toBeUndefined();
		expect(bodyProblem('{"a":', true, { jsonPath: 'a' }, 2048)).toMatch(/larger than 2 KiB/);
	});

	it('labels by name, else by the URL without credentials', () => {
		expect(checkLabel({ name: ' api ', url: 'http://x/' })).toBe('api');
		expect(checkLabel({ url: 'https://u:p@example.com/health?t=1' })).toBe(
			'https://example.com/health',
		);
	});
});
