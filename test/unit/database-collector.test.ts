import {
	cacheHitRatio,
	databaseCollector,
	quoteSqliteIdentifier,
	targetLabel,
} from '../../core/collectors/database';
import { connectionReason, isConnectionLost, redact } from '../../core/collectors/database/errors';
import { growthAndForecast } from '../../core/collectors/database/growth';
import { normaliseQueryText } from '../../core/collectors/database/parts';
import { runCollector } from '../../core/collectors/run';

const where = {
	engine: 'postgres' as const,
	host: 'db.example',
	port: 5432,
	user: 'monitor',
	database: 'app',
	timeoutMs: 2500,
	password: 's3cret-pw',
};
const err = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('connectionReason', () => {
	it.each([
		[
			err('ECONNREFUSED', 'connect ECONNREFUSED'),
			'PostgreSQL at db.example:5432 refused the connection',
		],
		[err('ENOTFOUND', 'getaddrinfo ENOTFOUND'), 'PostgreSQL at db.example:5432: host not found'],
		[
			new Error('connect timed out after 2500 ms'),
			'PostgreSQL at db.example:5432 timed out after 2500 ms',
		],
		[
			err('28P01', 'password authentication failed for user "monitor"'),
			'PostgreSQL at db.example:5432 rejected user monitor (password authentication failed for user "monitor")',
		],
		[
			err('3D000', 'database "app" does not exist'),
			'PostgreSQL at db.example:5432: database app does not exist',
		],
	])('maps driver error %#', (error, reason) => {
		expect(connectionReason(error, where)).toBe(reason);
	});

	it('never carries the password, even when the driver echoes it', () => {
		const reason = connectionReason(
			new Error('bad url postgres://monitor:s3cret-pw@db.example/app'),
			where,
		);
		expect(reason).not.toContain('s3cret-pw');
		expect(reason).toContain('***');
		expect(
			connectionReason(err('ER_ACCESS_DENIED_ERROR', "Access denied for user 'monitor'"), {
				...where,
				engine: 'mysql',
			}),
		).toBe(
			"MySQL/MariaDB at db.example:5432 rejected user monitor (Access denied for user 'monitor')",
		);
	});

	it('tells a lost connection from a refused query', () => {
		expect(
			isConnectionLost(err('57P01', 'terminating connection due to administrator command')),
		).toBe(true);
		expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
		expect(isConnectionLost(err('42501', 'permission denied for view x'))).toBe(false);
	});
});

describe('helpers', () => {
	it('quotes SQLite identifiers by doubling double quotes', () => {
		expect(quoteSqliteIdentifier('we"ird; DROP TABLE x;--')).toBe('"we""ird; DROP TABLE x;--"');
	});
	it('labels targets without secrets', () => {
		expect(
			targetLabel({
				type: 'postgres',
				host: 'h',
				port: 5432,
				database: 'd',
				user: 'u',
				password: 'p',
			}),
		).toBe('h:5432/d');
		expect(targetLabel({ type: 'mysql', host: 'h', port: 3306, user: 'u', password: 'p' })).toBe(
			'h:3306',
		);
		expect(targetLabel({ type: 'sqlite', filename: '/var/lib/app/data.db' })).toBe('data.db');
	});
	it('redacts every occurrence', () => {
		expect(redact('a pw b pw', 'pw')).toBe('a *** b ***');
		expect(redact('text', '')).toBe('text');
	});
	it('collapses and cuts statement texts to 300 characters', () => {
		expect(normaliseQueryText('SELECT\n  1\t FROM  t')).toBe('SELECT 1 FROM t');
		const long = normaliseQueryText('x'.repeat(400));
		expect(long).toHaveLength(300);
		expect(long.endsWith('…')).toBe(true);
	});
	it('computes cache hit ratios from rates first, counters second', () => {
		expect(cacheHitRatio({ blks_hit: 90, blks_read: 10 }, {})).toBe(0.9);
		expect(cacheHitRatio({ blks_hit: 90, blks_read: 10 }, { blks_hit: 3, blks_read: 1 })).toBe(
			0.75,
		);
		expect(cacheHitRatio({ blks_requested: 1000, blks_read: 50 }, {})).toBe(0.95);
		expect(cacheHitRatio({ blks_hit: 0, blks_read: 0 }, {})).toBeUndefined();
	});
});

describe('growthAndForecast', () => {
	const now = Date.UTC(2026, 5, 1);
	const day = 86_400_000;
	it('fits each table on its own labels and appends the current value', async () => {
		const result = await growthAndForecast({
			db: 'x',
			now,
			sizeBytes: 3000,
			tables: [{ name: 's.t', bytes: 300, rows: 1 }],
			sizeLimitBytes: 10_000,
			history: {
				async series(metric) {
					if (metric === 'db_table_size_bytes')
						return [
							{
								labels: { db: 'x', table: 's.t' },
								points: [
									[now - 2 * day, 100],
									[now - 40 * day, 0],
								],
							},
							{ labels: { db: 'y', table: 's.t' }, points: [[now - day, 99_999]] },
						];
					return [{ labels: { db: 'x' }, points: [[now - day, 2000]] }];
				},
			},
		});
		// (now-2d, 100) and (now, 300): 100 bytes/day; the 40-day-old point is outside both windows.
		expect(result.tables[0].growth7d).toEqual({ slopePerDay: 100, r2: 1 });
		expect(result.tables[0].growth30d).toEqual({ slopePerDay: 100, r2: 1 });
		expect(result.growth7d).toEqual({ slopePerDay: 1000, r2: 1 });
		expect(result.forecast).toEqual({
			limit: 'size limit',
			limitBytes: 10_000,
			result: { slopePerDay: 1000, daysUntil: 7, date: '2026-06-08T00:00:00.000Z', r2: 1 },
		});
	});
	it('says no history when nothing is stored, and no limit when none is set', async () => {
		const result = await growthAndForecast({
			db: 'x',
			now,
			sizeBytes: 1,
			tables: [{ name: 't', bytes: 1, rows: null }],
		});
		expect(result.tables[0].growth7d).toEqual({ reason: 'no history' });
		expect(result.forecast).toEqual({ reason: 'no limit' });
	});
});

describe('databaseCollector', () => {
	it('fails on options a programmer got wrong, not on a target that is down', async () => {
		const c = await runCollector(
			databaseCollector,
			{ target: { type: 'postgres', host: 'h', port: 0, database: 'd', user: 'u', password: 'p' } },
			{ host: 'test' },
		);
		expect(c.ok).toBe(false);
		expect(c.error).toBe('database target port must be 1..65535, not 0');
	});
});
