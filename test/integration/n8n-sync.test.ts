import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { N8nApiError, N8nClient, type N8nExecution } from '../../core/n8n/client';
import { FIRST_PAGE_LIMIT, loadSyncState, syncExecutions } from '../../core/n8n/sync';
import { forgetWorkflowLists } from '../../core/n8n/workflow-list';
import { MonitoringStore } from '../../core/store';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { tables } from '../helpers/tables';

/**
 * An in-memory n8n public API with the behaviour of n8n 2.40 that the sync depends on: newest
 * first by id, cursor = base64 {lastId, limit}, running executions left out of the plain list,
 * status filter, GET /executions/:id, workflows. `failAt` makes one request answer 500.
 */
class FakeN8n {
	executions = new Map<number, N8nExecution & { id: string }>();
	workflows = [
		{ id: 'wfA', name: 'Alpha', active: true, nodes: [] },
		{ id: 'wfB', name: 'Beta', active: true, nodes: [] },
	];
	nextId = 1;
	requests: string[] = [];
	failAt: ((url: URL) => boolean) | null = null;
	readonly key = 'secret-key-123';

	add(status: string, workflowId = 'wfA'): string {
		const id = this.nextId++;
		const startedAt = new Date(Date.UTC(2026, 0, 1) + id * 1000).toISOString();
		this.executions.set(id, {
			id: String(id),
			workflowId,
			status,
			mode: 'webhook',
			finished: status === 'success',
			startedAt,
			stoppedAt: status === 'running' ? null : startedAt,
			waitTill: status === 'waiting' ? '3000-01-01T00:00:00.000Z' : null,
			retryOf: null,
			retrySuccessId: null,
		});
		return String(id);
	}

	finish(id: string, status = 'success') {
		const e = this.executions.get(Number(id))!;
		Object.assign(e, { status, finished: status === 'success', waitTill: null });
		e.stoppedAt = new Date(Date.parse(e.startedAt!) + 5000).toISOString();
	}

	fetch: typeof fetch = async (input, init) => {
		const url = new URL(String(input));
		this.requests.push(url.pathname + url.search);
		const headers = new Headers(init?.headers);
		if (this.failAt?.(url)) return json({ message: 'boom' }, 500);
		if (headers.get('x-n8n-api-key') !== this.key) return json({ message: 'unauthorized' }, 401);
		if (url.pathname === '/api/v1/workflows')
			return json({ data: this.workflows, nextCursor: null });
		const one = url.pathname.match(/^\/api\/v1\/executions\/(\d+)$/);
		if (one) {
			const e = this.executions.get(Number(one[1]));
			return e ? json(e) : json({ message: 'Not Found' }, 404);
		}
		if (url.pathname !== '/api/v1/executions') return json({ message: 'not found' }, 404);
		const status = url.searchParams.get('status');
		let limit = Number(url.searchParams.get('limit') ?? 100);
		let lastId = Infinity;
		const cursor = url.searchParams.get('cursor');
		if (cursor) {
			const decoded = JSON.parse(Buffer.from(cursor, 'base64').toString());
			lastId = Number(decoded.lastId);
			limit = decoded.limit;
		}
		const all = [...this.executions.values()]
			.filter((e) => (status ? e.status === status : e.status !== 'running'))
			.filter((e) => Number(e.id) < lastId)
			.sort((a, b) => Number(b.id) - Number(a.id));
		const data = all.slice(0, limit);
		const more = all.length > limit;
		const nextCursor = more
			? Buffer.from(JSON.stringify({ lastId: data[data.length - 1].id, limit })).toString('base64')
			: null;
		return json({ data, nextCursor });
	};
}

function json(body: unknown, status = 200): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8' },
	});
}

let tmp: string;
let store: MonitoringStore;
let n8n: FakeN8n;
let client: N8nClient;
const instance = 'fake:5678';

beforeEach(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-n8n-sync-'));
	store = await MonitoringStore.open({ type: 'sqlite', filename: path.join(tmp, 's.sqlite') });
	n8n = new FakeN8n();
	forgetWorkflowLists();
	client = new N8nClient({ baseUrl: 'http://fake:5678', apiKey: n8n.key, fetch: n8n.fetch });
});

afterEach(async () => {
	await store.close();
	fs.rmSync(tmp, { recursive: true, force: true });
});

async function storedCount(where: Record<string, string> = {}): Promise<number> {
	const row = await tables(store)('mon_executions')
		.where({ instance, ...where })
		.count({ n: '*' })
		.first();
	return Number(row?.n);
}

describe('what a run asks of n8n (each request costs n8n ~17 ms of CPU)', () => {
	const asked = (prefix: string) => n8n.requests.filter((r) => r.startsWith(prefix));
	const limits = () =>
		asked('/api/v1/executions?')
			.filter((r) => !r.includes('status='))
			.map((r) => {
				const q = new URL(`http://x${r}`).searchParams;
				const cursor = q.get('cursor');
				return cursor
					? JSON.parse(Buffer.from(cursor, 'base64').toString()).limit
					: Number(q.get('limit'));
			});

	it('knowing its mark, asks a small first page, then pages of 250', async () => {
		for (let i = 0; i < 300; i++) n8n.add('success');
		await syncExecutions(store.executions, client, { instance });
		expect(limits()).toEqual([250, 250]); // no mark yet: whole pages
		for (let i = 0; i < 5; i++) n8n.add('success');
		n8n.requests = [];
		const quiet = await syncExecutions(store.executions, client, { instance });
		expect(quiet).toMatchObject({ complete: true, inserted: 5 });
		expect(limits()).toEqual([FIRST_PAGE_LIMIT]);
		for (let i = 0; i < 400; i++) n8n.add('error', 'wfB');
		n8n.requests = [];
		const busy = await syncExecutions(store.executions, client, { instance });
		expect(busy).toMatchObject({ complete: true, inserted: 400 });
		expect(limits()).toEqual([FIRST_PAGE_LIMIT, 250, 250]);
		expect(await storedCount({ status: 'error' })).toBe(400);
	});

	it('keeps the workflow list for a few minutes, and reads it again for a workflow it lacks', async () => {
		n8n.add('success');
		let t = Date.UTC(2026, 0, 2);
		const now = () => t;
		await syncExecutions(store.executions, client, { instance, now });
		expect(asked('/api/v1/workflows')).toHaveLength(1);
		t += 60_000;
		n8n.add('success', 'wfB');
		const second = await syncExecutions(store.executions, client, { instance, now });
		expect(asked('/api/v1/workflows')).toHaveLength(1);
		expect(second.workflows?.map((w) => w.id)).toEqual(['wfA', 'wfB']);

		// A workflow made since: its execution makes the list current, and it gets its name.
		n8n.workflows.push({ id: 'wfC', name: 'Gamma', active: true, nodes: [] });
		const gamma = n8n.add('success', 'wfC');
		t += 60_000;
		await syncExecutions(store.executions, client, { instance, now });
		expect(asked('/api/v1/workflows')).toHaveLength(2);
		const row = await tables(store)('mon_executions').where({ instance, id: gamma }).first();
		expect(row.workflow_name).toBe('Gamma');

		// A rename shows within five minutes, without an execution asking for it.
		n8n.workflows[0].name = 'Alpha renamed';
		t += 5 * 60_000;
		const later = await syncExecutions(store.executions, client, { instance, now });
		expect(asked('/api/v1/workflows')).toHaveLength(3);
		expect(later.workflows?.[0].name).toBe('Alpha renamed');
		// Another key may see other workflows: it gets its own list.
		const other = new N8nClient({ baseUrl: 'http://fake:5678', apiKey: 'other', fetch: n8n.fetch });
		await syncExecutions(store.executions, other, { instance: 'other', now });
		expect(asked('/api/v1/workflows')).toHaveLength(4);
	});

	it('asks the waiting list only while the store holds waiting executions', async () => {
		const running = n8n.add('running');
		for (let i = 0; i < 30; i++) n8n.add('success'); // the first page of the next run ends above it
		await syncExecutions(store.executions, client, { instance });
		expect(asked('/api/v1/executions?').filter((r) => r.includes('status=waiting'))).toEqual([]);
		// It went on to wait (n8n saved it as waiting): in no list asked, so fetched by id.
		n8n.executions.get(Number(running))!.status = 'waiting';
		n8n.requests = [];
		await syncExecutions(store.executions, client, { instance });
		expect(asked(`/api/v1/executions/${running}`)).toHaveLength(1);
		expect(await storedCount({ status: 'waiting' })).toBe(1);
		// Now the store holds a waiting one: the waiting list is asked, nothing by id.
		n8n.requests = [];
		await syncExecutions(store.executions, client, { instance });
		expect(asked('/api/v1/executions?').filter((r) => r.includes('status=waiting'))).toHaveLength(
			1,
		);
		expect(asked(`/api/v1/executions/${running}`)).toEqual([]);
		n8n.finish(running);
		await syncExecutions(store.executions, client, { instance });
		expect(await storedCount({ status: 'success' })).toBe(31);
	});
});

describe('syncExecutions', () => {
	it('stores every execution once across pages and runs, and follows pending ones', async () => {
		for (let i = 0; i < 600; i++)
			n8n.add(i % 10 === 0 ? 'error' : 'success', i % 2 ? 'wfA' : 'wfB');
		const running = n8n.add('running');
		const waiting = n8n.add('waiting');
		const first = await syncExecutions(store.executions, client, { instance });
		// fetched counts records received: the waiting one comes in the plain list and the waiting list.
		expect(first).toMatchObject({ complete: true, inserted: 602, updated: 0, fetched: 603 });
		expect(first.pages).toBe(3 + 2); // 601 listed in pages of 250, + running + waiting lists
		expect(await storedCount()).toBe(602);
		expect((await loadSyncState(store.executions, instance)).hwm).toBe(waiting);
		const row = await tables(store)('mon_executions').where({ instance, id: '2' }).first();
		expect(row).toMatchObject({ workflow_id: 'wfA', workflow_name: 'Alpha', status: 'success' });

		// 300 more; the running and waiting ones finish.
		for (let i = 0; i < 300; i++) n8n.add('success');
		n8n.finish(running);
		n8n.finish(waiting, 'error');
		n8n.requests = [];
		const second = await syncExecutions(store.executions, client, { instance });
		expect(second).toMatchObject({ complete: true, inserted: 300 });
		// The running one was refetched (it finished below the mark); the waiting one is in the
		// overlap page; both count as updated once.
		expect(second.updated).toBe(2);
		expect(await storedCount()).toBe(902);
		expect(await storedCount({ status: 'success' })).toBe(540 + 300 + 1);
		expect(n8n.requests.filter((r) => r.startsWith('/api/v1/executions?')).length).toBe(2 + 2);
		const w = await tables(store)('mon_executions').where({ instance, id: waiting }).first();
		expect(Number(w.wait_till)).toBe(Date.parse('3000-01-01T00:00:00.000Z')); // kept after resume
		expect(Number(w.waited_ms)).toBe(5000);

		// Nothing new: one page (the overlap), nothing inserted or changed.
		const third = await syncExecutions(store.executions, client, { instance });
		expect(third).toMatchObject({ complete: true, inserted: 0, updated: 0 });
	});

	it('keeps what a failed run stored and resumes below it without counting twice', async () => {
		for (let i = 0; i < 1000; i++) n8n.add('success');
		await syncExecutions(store.executions, client, { instance });
		for (let i = 0; i < 1000; i++) n8n.add('success'); // ids 1001..2000
		let listCalls = 0;
		n8n.failAt = (url) =>
			url.pathname === '/api/v1/executions' && !url.searchParams.get('status') && ++listCalls === 3;
		const failed = await syncExecutions(store.executions, client, { instance });
		expect(failed.complete).toBe(false);
		expect(failed.error).toMatch(/failed with 500/);
		// Two pages landed: the small first page of a run that knows its mark, then one of 250.
		expect(failed.inserted).toBe(FIRST_PAGE_LIMIT + 250);
		expect(await storedCount()).toBe(1000 + FIRST_PAGE_LIMIT + 250);
		const below = String(2000 - FIRST_PAGE_LIMIT - 250 + 1);
		const state = await loadSyncState(store.executions, instance);
		expect(state).toMatchObject({ hwm: '1000', resume: { top: '2000', below } });

		// Meanwhile 10 more; the next run pages them, jumps below 1501 and goes down to 1000.
		for (let i = 0; i < 10; i++) n8n.add('success');
		n8n.failAt = null;
		n8n.requests = [];
		const resumed = await syncExecutions(store.executions, client, { instance });
		expect(resumed).toMatchObject({ complete: true, inserted: 1010 - FIRST_PAGE_LIMIT - 250 });
		expect(await storedCount()).toBe(2010);
		const cursors = n8n.requests
			.filter((r) => r.startsWith('/api/v1/executions?') && !r.includes('status='))
			.map((r) => new URL(`http://x${r}`).searchParams.get('cursor'));
		// A run with a range to skip asks pages of 250 from the start: 2010..1761, a jump straight
		// below 1731 (1730..1481), 1480..1231, and 1230..981: the page that crosses the mark.
		expect(cursors.length).toBe(4);
		expect(JSON.parse(Buffer.from(cursors[1]!, 'base64').toString()).lastId).toBe(below);
		expect((await loadSyncState(store.executions, instance)).hwm).toBe('2010');
	});

	it('stops at maxPages and goes on from there next time', async () => {
		for (let i = 0; i < 600; i++) n8n.add('success');
		const first = await syncExecutions(store.executions, client, { instance, maxPages: 1 });
		expect(first).toMatchObject({ complete: false, errorSource: 'limit', inserted: 250 });
		const second = await syncExecutions(store.executions, client, { instance });
		expect(second).toMatchObject({ complete: true, inserted: 350, updated: 0 });
		expect(await storedCount()).toBe(600);
	});

	it('marks a pending execution that n8n no longer has as unknown', async () => {
		const id = n8n.add('waiting');
		await syncExecutions(store.executions, client, { instance });
		n8n.executions.delete(Number(id));
		const result = await syncExecutions(store.executions, client, { instance });
		expect(result.refetched).toBe(1);
		expect(await storedCount({ status: 'unknown' })).toBe(1);
	});

	it('reports a rejected key without the key and keeps the stored rows', async () => {
		n8n.add('success');
		await syncExecutions(store.executions, client, { instance });
		const wrong = new N8nClient({
			baseUrl: 'http://fake:5678',
			apiKey: 'wrong-key-456',
			fetch: n8n.fetch,
		});
		const result = await syncExecutions(store.executions, wrong, { instance });
		expect(result.complete).toBe(false);
		expect(result.error).toMatch(/API key rejected \(401\).*Settings > n8n API/);
		expect(result.error).not.toContain('wrong-key-456');
		expect(result.errorSource).toBe('api');
		expect(await storedCount()).toBe(1);
	});
});

describe('N8nClient errors', () => {
	const html = async () =>
		new Response('<!DOCTYPE html><html><body>Hello</body></html>', {
			status: 200,
			headers: { 'content-type': 'text/html' },
		});

	it('says when the base URL is not n8n (HTML, or a 404 that is not JSON)', async () => {
		const c = new N8nClient({ baseUrl: 'http://web:80/', apiKey: 'k', fetch: html });
		await expect(c.listExecutions({})).rejects.toThrow(/does not answer like n8n's public API/);
		const notFound = async () => new Response('Cannot GET /api/v1/executions', { status: 404 });
		const c2 = new N8nClient({ baseUrl: 'http://web:80', apiKey: 'k', fetch: notFound });
		await expect(c2.listExecutions({})).rejects.toMatchObject({ kind: 'not-n8n', status: 404 });
	});

	it('reports 403, 500 and timeouts clearly and never shows the key', async () => {
		const key = 'n8n_api_very_secret';
		const answer = (status: number) => async () => json({ message: 'x' }, status);
		for (const [status, pattern] of [
			[403, /API key rejected \(403\)/],
			[500, /failed with 500/],
		] as const) {
			const c = new N8nClient({ baseUrl: 'http://n8n:5678', apiKey: key, fetch: answer(status) });
			const error = await c.listExecutions({}).catch((e) => e);
			expect(error).toBeInstanceOf(N8nApiError);
			expect(error.message).toMatch(pattern);
			expect(error.message).not.toContain(key);
		}
		const hang: typeof fetch = (_url, init) =>
			new Promise((_, reject) =>
				init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
			);
		const slow = new N8nClient({
			baseUrl: 'http://n8n:5678',
			apiKey: key,
			fetch: hang,
			timeoutMs: 50,
		});
		await expect(slow.listExecutions({})).rejects.toThrow(
			/did not answer GET \/executions within 50 ms/,
		);
	});

	it('accepts the n8n credential form of the URL (with /api/v1) and names the instance', () => {
		const c = new N8nClient({ baseUrl: 'https://n8n.example.com/api/v1/', apiKey: 'k' });
		expect(c.baseUrl).toBe('https://n8n.example.com');
		expect(c.defaultInstance).toBe('n8n.example.com');
	});
});

describe('syncExecutions on PostgreSQL (same migration, bigint columns come back as strings)', () => {
	let pg: TestPostgres;
	let pgStore: MonitoringStore;

	beforeAll(async () => {
		pg = await startPostgres();
		pgStore = await MonitoringStore.open({
			type: 'postgres',
			host: pg.host,
			port: pg.port,
			user: pg.user,
			password: pg.password,
			database: pg.database,
		});
	}, 60_000);

	afterAll(async () => {
		await pgStore?.close();
		await pg?.stop();
	});

	it('stores, follows a waiting execution to its end, and counts nothing twice', async () => {
		for (let i = 0; i < 300; i++) n8n.add(i % 3 ? 'success' : 'crashed', 'wfB');
		const waiting = n8n.add('waiting');
		const first = await syncExecutions(pgStore.executions, client, { instance });
		expect(first).toMatchObject({ complete: true, inserted: 301, updated: 0 });
		n8n.finish(waiting);
		n8n.add('success');
		const second = await syncExecutions(pgStore.executions, client, { instance });
		expect(second).toMatchObject({ complete: true, inserted: 1, updated: 1 });
		const rows: Array<{ status: string; n: unknown }> = await tables(pgStore)('mon_executions')
			.where({ instance })
			.groupBy('status')
			.select('status')
			.count({ n: '*' });
		expect(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))).toEqual({
			success: 200 + 1 + 1,
			crashed: 100,
		});
		const w = await tables(pgStore)('mon_executions').where({ instance, id: waiting }).first();
		expect(Number(w.duration_ms)).toBe(5000);
		expect(Number(w.waited_ms)).toBe(5000);
	});
});
