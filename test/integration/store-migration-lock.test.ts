import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { MIGRATIONS_TABLE } from '../../migrations';
import { MonitoringStore } from '../../core/store';
import { tables } from '../helpers/tables';

/**
 * Two processes opening a new store at once can both give Knex's migration lock table its row
 * (Knex selects, then inserts). With two unlocked rows Knex reports the table as locked for
 * ever; opening must still succeed (it did not: every writer gave up after a minute).
 */
let tmp: string;
beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-lock-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('opens a store whose migration lock table has two unlocked rows', async () => {
	const config = { type: 'sqlite' as const, filename: path.join(tmp, 'lock.sqlite') };
	const first = await MonitoringStore.open(config);
	await tables(first)(`${MIGRATIONS_TABLE}_lock`).insert({ is_locked: 0 });
	expect(await tables(first)(`${MIGRATIONS_TABLE}_lock`).select('is_locked')).toHaveLength(2);
	await first.close();

	const started = Date.now();
	const again = await MonitoringStore.open(config);
	try {
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(await tables(again)(`${MIGRATIONS_TABLE}_lock`).select('is_locked')).toEqual([
			{ is_locked: 0 },
		]);
	} finally {
		await again.close();
	}
}, 90_000);
