/*
 * The database collector against a real MariaDB (performance_schema on), under load the test
 * creates: an open transaction, a lock wait, a slow statement, hostile names, a user without
 * PROCESS or performance_schema rights, and faults.
 */
import { createConnection, type Connection } from 'mysql2/promise';

import {
	databaseCollector,
	type DatabaseOptions,
	type DatabaseSnapshot,
} from '../../core/collectors/database';
import { runCollector } from '../../core/collectors/run';
import type { Collection, Sample } from '../../core/collectors/types';
import { startMariadb, type TestMariadb } from '../helpers/mariadb';
import { freePort } from '../helpers/postgres';

let maria: TestMariadb;
const MONITOR_PASSWORD = 'monitor-Maria-5k!';
const PLAIN_PASSWORD = 'plain-Maria-2z!';
const WEIRD_TABLE = 'ta ble`"; DROP TABLE victim;--';

beforeAll(async () => {
	maria = await startMariadb();
	const id = (s: string) => '`' + s.replace(/`/g, '``') + '`';
	maria.sql(
		`CREATE TABLE victim (id int) ENGINE=InnoDB; INSERT INTO victim VALUES (1);
		 CREATE TABLE locked (id int PRIMARY KEY, v int) ENGINE=InnoDB; INSERT INTO locked VALUES (1, 0);
		 CREATE TABLE ${id(WEIRD_TABLE)} (x text) ENGINE=InnoDB;
		 INSERT INTO ${id(WEIRD_TABLE)} VALUES ('a'), ('b'), ('c');
		 ANALYZE TABLE ${id(WEIRD_TABLE)}, locked;
		 CREATE USER 'monitor'@'127.0.0.1' IDENTIFIED BY '${MONITOR_PASSWORD}';
		 GRANT PROCESS, SLAVE MONITOR ON *.* TO 'monitor'@'127.0.0.1';
		 GRANT SELECT ON performance_schema.* TO 'monitor'@'127.0.0.1';
		 GRANT SELECT ON monitoring.* TO 'monitor'@'127.0.0.1';
		 CREATE USER 'plain'@'127.0.0.1' IDENTIFIED BY '${PLAIN_PASSWORD}';
		 GRANT SELECT ON monitoring.* TO 'plain'@'127.0.0.1';`,
	);
});

afterAll(async () => {
	await maria?.stop();
});

function options(
	over: Partial<DatabaseOptions> = {},
	user = 'monitor',
	password = MONITOR_PASSWORD,
): DatabaseOptions {
	return {
		target: {
			type: 'mysql',
			host: maria.host,
			port: maria.port,
			database: 'monitoring',
			user,
			password,
		},
		topTables: 50,
		connectTimeoutMs: 3000,
		queryTimeoutMs: 5000,
		...over,
	};
}

async function collect(
	opts: DatabaseOptions,
	previous?: Collection['state'],
): Promise<Collection<DatabaseSnapshot>> {
	const c = await runCollector(databaseCollector, opts, {
		host: 'test',
		previous,
		timeoutMs: 20_000,
	});
	expect(c.error).toBeUndefined();
	expect(c.ok).toBe(true);
	return c;
}

function value(c: Collection, name: string, labels: Record<string, string> = {}) {
	return c.samples.find(
		(s: Sample) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels?.[k] === v),
	)?.value;
}

const session = async (): Promise<Connection> =>
	createConnection({
		host: maria.host,
		port: maria.port,
		user: maria.user,
		password: maria.password,
		database: 'monitoring',
	});

it('reads availability, connections, size and statistics', async () => {
	const c = await collect(options());
	expect(value(c, 'db_up', { engine: 'mysql' })).toBe(1);
	expect(c.snapshot!.version).toMatch(/MariaDB/);
	expect(value(c, 'db_query_seconds')).toBeGreaterThan(0);
	expect(value(c, 'db_connections_max')).toBe(151);
	expect(value(c, 'db_connections', { state: 'active' })).toBeGreaterThanOrEqual(1);
	expect(value(c, 'db_connections_used_percent')).toBeGreaterThan(0);
	expect(value(c, 'db_size_bytes')).toBeGreaterThan(0);
	expect(value(c, 'db_table_size_bytes', { table: 'monitoring.locked' })).toBeGreaterThan(0);
	expect(value(c, 'db_slow_queries_available')).toBe(1);
	expect(value(c, 'db_lock_waiting')).toBe(0);
	expect(value(c, 'db_replication_lag_seconds')).toBeUndefined();
	expect(c.warnings).toEqual([]);
	const s = await session();
	for (let i = 0; i < 5; i++) await s.query('SELECT 1');
	await s.end();
	const c2 = await collect(options(), c.state);
	expect(value(c2, 'db_queries_per_second')).toBeGreaterThan(0);
	expect(value(c2, 'db_transactions_per_second')).toBeGreaterThanOrEqual(0);
	expect(value(c2, 'db_cache_hit_ratio')).toBeGreaterThan(0);
});

it('sees a long open transaction and a session waiting on a row lock', async () => {
	const holder = await session();
	const waiter = await session();
	try {
		await holder.query('BEGIN');
		const opened = Date.now();
		await holder.query('UPDATE locked SET v = v + 1 WHERE id = 1');
		const blocked = waiter.query('UPDATE locked SET v = v + 10 WHERE id = 1');
		await new Promise((r) => setTimeout(r, 1200));
		const c = await collect(options());
		const openFor = (Date.now() - opened) / 1000;
		expect(value(c, 'db_lock_waiting')).toBe(1);
		expect(value(c, 'db_longest_transaction_seconds')).toBeGreaterThanOrEqual(1.1);
		expect(value(c, 'db_longest_transaction_seconds')).toBeLessThanOrEqual(openFor + 1);
		await holder.query('ROLLBACK');
		await blocked;
		// InnoDB refreshes its INNODB_TRX cache at most every 100 ms.
		await new Promise((r) => setTimeout(r, 200));
		const after = await collect(options());
		expect(value(after, 'db_lock_waiting')).toBe(0);
		expect(value(after, 'db_longest_transaction_seconds')).toBeLessThan(1);
	} finally {
		await holder.end();
		await waiter.end();
	}
});

it('lists a deliberately slow statement first by mean time', async () => {
	maria.sql('TRUNCATE performance_schema.events_statements_summary_by_digest');
	const s = await session();
	await s.query('SELECT SLEEP(0.3)');
	await s.end();
	const c = await collect(options({ slowQueries: 3 }));
	const slow = c.snapshot!.slowQueries!;
	expect(slow.available).toBe(true);
	if (!slow.available) return;
	expect(slow.byMean[0].query).toMatch(/SLEEP/i);
	expect(slow.byMean[0].meanMs).toBeGreaterThanOrEqual(300);
	expect(slow.byMean.length).toBeLessThanOrEqual(3);
});

it('reports hostile table names intact and drops nothing', async () => {
	const c = await collect(options());
	const name = `monitoring.${WEIRD_TABLE}`;
	const table = c.snapshot!.tables.find((t) => t.name === name);
	expect(table).toBeDefined();
	expect(value(c, 'db_table_size_bytes', { table: name })).toBeGreaterThan(0);
	expect(maria.sql('SELECT count(*) FROM victim').trim()).toBe('1');
});

it('collects the rest for a user without PROCESS or performance_schema rights', async () => {
	const c = await collect(options({}, 'plain', PLAIN_PASSWORD));
	expect(value(c, 'db_up')).toBe(1);
	expect(value(c, 'db_slow_queries_available')).toBe(0);
	expect(c.snapshot!.slowQueries).toEqual({
		available: false,
		reason: expect.stringMatching(/^performance_schema cannot be read by plain: .*denied/),
	});
	expect(value(c, 'db_size_bytes')).toBeGreaterThan(0);
	expect(value(c, 'db_connections_max')).toBe(151);
	// INNODB_TRX needs PROCESS: said in a warning, not a failure.
	expect(c.warnings.join('\n')).toMatch(/transactions: .*PROCESS/);
	expect(JSON.stringify(c)).not.toContain(PLAIN_PASSWORD);
});

it('reports a wrong password and a closed port as down without any password', async () => {
	const wrong = 'Wrong-Maria-321';
	const c = await collect(options({}, 'monitor', wrong));
	expect(value(c, 'db_up')).toBe(0);
	expect(c.snapshot!.reason).toMatch(
		new RegExp(
			`^MySQL/MariaDB at 127\\.0\\.0\\.1:${maria.port} rejected user monitor \\(Access denied`,
		),
	);
	expect(JSON.stringify(c)).not.toContain(wrong);
	const port = await freePort();
	const refused = await collect({ ...options(), target: { ...options().target, port } as never });
	expect(value(refused, 'db_up')).toBe(0);
	expect(refused.snapshot!.reason).toBe(
		`MySQL/MariaDB at 127.0.0.1:${port} refused the connection`,
	);
});
