import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { hostCollector } from '../../core/collectors/host';
import { collectAndStore, syncN8nAndStore } from '../../core/pipeline';
import { closeAllStores, MonitoringStore } from '../../core/store';
import type { StoreConfig } from '../../core/store/config';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { tables } from '../helpers/tables';

/**
 * Faults of the machine under a running collector, on real files: the store file deleted or
 * made read-only (immutable), the disk full (a 2 MiB tmpfs), an n8n API that never answers,
 * PostgreSQL restarted during writes.
 * Nothing already stored is lost, and collection resumes by itself once the cause is gone.
 * tmpfs and chattr need root, as `npm test` runs (it installs Debian packages too).
 */
let tmp: string;

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-faults-'));
});
afterAll(async () => {
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

const collectHost = (store: StoreConfig) =>
	collectAndStore(hostCollector, { host: 'fault-host', options: {}, store });

async function countCollections(filename: string): Promise<number> {
	const store = await MonitoringStore.open({ type: 'sqlite', filename });
	try {
		const [{ n }] = await tables(store)('mon_collections').count({ n: '*' });
		const [{ integrity_check: check }] = (await tables(store).raw(
			'PRAGMA integrity_check',
		)) as Array<{
			integrity_check: string;
		}>;
		expect(check).toBe('ok');
		return Number(n);
	} finally {
		await store.close();
	}
}

test('a store file deleted under a running collector is created again at the next collection', async () => {
	const filename = path.join(tmp, 'deleted.sqlite');
	const config: StoreConfig = { type: 'sqlite', filename };
	expect((await collectHost(config)).stored).toBe(true);
	for (const suffix of ['', '-wal', '-shm']) fs.rmSync(filename + suffix, { force: true });
	const after = await collectHost(config);
	expect(after.stored).toBe(true);
	expect(fs.existsSync(filename)).toBe(true);
	await closeAllStores();
	expect(await countCollections(filename)).toBe(1);
});

test('store made read-only (immutable) under a running collector: the collection is kept in the result with a clear error, and writing resumes', async () => {
	const filename = path.join(tmp, 'ro.sqlite');
	const config: StoreConfig = { type: 'sqlite', filename };
	expect((await collectHost(config)).stored).toBe(true);
	const files = [filename, `${filename}-wal`].filter((f) => fs.existsSync(f));
	// chattr +i holds even for root, unlike chmod (tests run as root).
	execFileSync('chattr', ['+i', ...files]);
	try {
		const failed = await collectHost(config);
		expect(failed.stored).toBe(false);
		expect(failed.storeError?.message).toMatch(
			/readonly|read-only|not permitted|SQLITE_READONLY|SQLITE_IOERR|SQLITE_PERM/i,
		);
		// What was collected is still handed over.
		expect(failed.collection.samples.length).toBeGreaterThan(10);
	} finally {
		execFileSync('chattr', ['-i', ...files]);
	}
	expect((await collectHost(config)).stored).toBe(true);
	await closeAllStores();
	expect(await countCollections(filename)).toBe(2);
});

describe('on a small tmpfs', () => {
	let mount: string;
	beforeAll(() => {
		mount = path.join(tmp, 'mnt');
		fs.mkdirSync(mount);
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
	});
	afterAll(async () => {
		await closeAllStores();
		execFileSync('umount', ['-l', mount]);
	});

	test('disk full: failures carry the data, stored collections stay intact, writing resumes with space', async () => {
		const filename = path.join(mount, 'full.sqlite');
		const config: StoreConfig = { type: 'sqlite', filename };
		// Fill the rest of the tmpfs, leaving room for the store's first collections only.
		expect((await collectHost(config)).stored).toBe(true);
		const filler = path.join(mount, 'filler');
		const free = () => fs.statfsSync(mount).bavail * fs.statfsSync(mount).bsize;
		fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 64 * 1024)));
		let stored = 1;
		let failure: Awaited<ReturnType<typeof collectHost>> | undefined;
		for (let i = 0; i < 200 && !failure; i++) {
			const r = await collectHost(config);
			if (r.stored) stored++;
			else failure = r;
		}
		expect(failure).toBeDefined();
		expect(failure!.storeError?.message).toMatch(/full|SQLITE_FULL|no space|SQLITE_IOERR/i);
		expect(failure!.collection.samples.length).toBeGreaterThan(10);
		fs.rmSync(filler);
		expect((await collectHost(config)).stored).toBe(true);
		await closeAllStores();
		expect(await countCollections(filename)).toBe(stored + 1);
	});
});

test('an n8n API that never answers: a failed collection with the reason, stored as such', async () => {
	const sockets = new Set<import('node:net').Socket>();
	const server = http.createServer(() => {
		// Accepts the request and never answers.
	});
	server.on('connection', (s) => sockets.add(s));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as AddressInfo).port;
	const filename = path.join(tmp, 'n8n.sqlite');
	try {
		const started = Date.now();
		const result = await syncN8nAndStore(
			{ type: 'sqlite', filename },
			{ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', timeoutMs: 800 },
			{ instance: 'silent-n8n' },
		);
		expect(Date.now() - started).toBeLessThan(20_000);
		expect(result.stored).toBe(true);
		expect(result.collection.ok).toBe(false);
		expect(result.collection.error).toMatch(/did not answer GET \/\w+ within 800 ms/);
		await closeAllStores();
		const store = await MonitoringStore.open({ type: 'sqlite', filename });
		const rows = await tables(store)('mon_collections').select('ok', 'error');
		await store.close();
		expect(rows).toHaveLength(1);
		expect(Boolean(rows[0].ok)).toBe(false);
	} finally {
		for (const s of sockets) s.destroy();
		await new Promise((r) => server.close(r));
	}
});

describe('PostgreSQL restarted while collections are written', () => {
	let pg: TestPostgres;
	beforeAll(async () => {
		pg = await startPostgres();
	}, 60_000);
	afterAll(async () => {
		await closeAllStores();
		await pg?.stop();
	});

	test('writes in flight fail with the data kept, nothing stored is lost, writing resumes by itself', async () => {
		const config: StoreConfig = {
			type: 'postgres',
			host: pg.host,
			port: pg.port,
			user: pg.user,
			password: pg.password,
			database: pg.database,
			schema: 'faults',
		};
		type Outcome = Awaited<ReturnType<typeof collectHost>> | { thrown: unknown };
		const results: Outcome[] = [];
		const isStored = (r: Outcome) => 'stored' in r && r.stored;
		let stop = false;
		// Collections back to back while the server goes away and comes back.
		const writer = (async () => {
			while (!stop) {
				results.push(await collectHost(config).catch((thrown: unknown) => ({ thrown })));
				await new Promise((r) => setTimeout(r, 20));
			}
		})();
		await new Promise((r) => setTimeout(r, 1_000));
		await pg.halt();
		await new Promise((r) => setTimeout(r, 1_500));
		await pg.resume();
		// Until a few collections after the restart have been stored.
		const deadline = Date.now() + 30_000;
		const storedAgain = () => results.length > 3 && results.slice(-3).every(isStored);
		while (Date.now() < deadline && !storedAgain()) await new Promise((r) => setTimeout(r, 200));
		stop = true;
		await writer;

		expect(storedAgain()).toBe(true);
		expect(results.filter((r) => !isStored(r)).length).toBeGreaterThan(0);
		// A write that failed while the server was down hands over what was collected.
		for (const r of results)
			if ('stored' in r && !r.stored) expect(r.collection.samples.length).toBeGreaterThan(10);
		const stored = results.filter(isStored) as Array<Awaited<ReturnType<typeof collectHost>>>;
		await closeAllStores();
		const store = await MonitoringStore.open(config);
		try {
			const rows = await tables(store)('mon_collections').where('host', 'fault-host').select('ts');
			const inStore = new Set(rows.map((r) => Number(r.ts)));
			// Every collection reported stored is there (one whose commit answer was lost with the
			// server may be there too; never half of one, see the crash tests).
			expect(stored.filter((r) => !inStore.has(r.collection.time))).toEqual([]);
			expect(inStore.size).toBeLessThanOrEqual(results.length);
		} finally {
			await store.close();
		}
	}, 90_000);
});
