/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Knex } from 'knex';

import { loadNodeSqlite } from '../sqlite/driver';

/**
 * A Knex client over Node's built-in `node:sqlite` (Node.js 22.5+; n8n 2.x runs on Node 24).
 *
 * Why: n8n's Community Nodes page installs packages with `--ignore-scripts`, so the sqlite3
 * package arrives without its native binary. node:sqlite needs no binary, and its synchronous
 * API is the one better-sqlite3 has, so Knex's better-sqlite3 dialect does the rest.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ClientBetterSqlite3 = require('knex/lib/dialects/better-sqlite3') as new (
	config: Knex.Config,
) => any;

export { loadNodeSqlite };

export class NodeSqliteClient extends ClientBetterSqlite3 {
	_driver() {
		return loadNodeSqlite();
	}

	async acquireRawConnection() {
		const { DatabaseSync } = this.driver as typeof import('node:sqlite');
		return new DatabaseSync(this.connectionSettings.filename);
	}

	async destroyRawConnection(connection: import('node:sqlite').DatabaseSync) {
		connection.close();
	}

	async _query(connection: import('node:sqlite').DatabaseSync, obj: any) {
		if (!obj.sql) throw new Error('The query is empty');
		if (!connection) throw new Error('No connection provided');
		const statement = connection.prepare(obj.sql);
		const bindings = this._formatBindings(obj.bindings);
		if (statement.columns().length > 0) {
			obj.response = statement.all(...bindings);
			return obj;
		}
		const result = statement.run(...bindings);
		obj.response = result;
		obj.context = { lastID: result.lastInsertRowid, changes: result.changes };
		return obj;
	}

	_formatBindings(bindings: unknown[] | undefined): import('node:sqlite').SQLInputValue[] {
		if (!bindings) return [];
		return bindings.map((binding) => {
			if (binding instanceof Date) return binding.valueOf();
			if (typeof binding === 'boolean') return Number(binding);
			if (binding === undefined) return null;
			return binding as import('node:sqlite').SQLInputValue;
		});
	}
}
Object.assign(NodeSqliteClient.prototype, { driverName: 'node:sqlite' });
