import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { N8nDatabaseError, n8nOwnDatabase } from '../../core/collectors/database/n8n-own';

describe("n8n's own database, from the settings n8n reads", () => {
	it('is the SQLite file in the user folder by default', () => {
		// Open in this very process through n8n's own SQLite: read as immutable (sqlite.ts).
		expect(n8nOwnDatabase({ N8N_USER_FOLDER: '/srv/n8n' })).toEqual({
			type: 'sqlite',
			filename: '/srv/n8n/.n8n/database.sqlite',
			openInThisProcess: true,
		});
		expect(n8nOwnDatabase({})).toEqual({
			type: 'sqlite',
			filename: path.join(os.homedir(), '.n8n', 'database.sqlite'),
			openInThisProcess: true,
		});
	});

	it('follows DB_SQLITE_DATABASE, relative to the .n8n folder or absolute', () => {
		expect(
			n8nOwnDatabase({ N8N_USER_FOLDER: '/srv/n8n', DB_SQLITE_DATABASE: 'other.db' }),
		).toMatchObject({ filename: '/srv/n8n/.n8n/other.db' });
		expect(
			n8nOwnDatabase({ N8N_USER_FOLDER: '/srv/n8n', DB_SQLITE_DATABASE: '/data/n8n.db' }),
		).toMatchObject({ filename: '/data/n8n.db' });
	});

	it('reads PostgreSQL settings, a _FILE secret included', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-own-'));
		const secret = path.join(dir, 'password');
		fs.writeFileSync(secret, 's3cret\n');
		try {
			expect(
				n8nOwnDatabase({
					DB_TYPE: 'postgresdb',
					DB_POSTGRESDB_HOST: 'db.internal',
					DB_POSTGRESDB_PORT: '6543',
					DB_POSTGRESDB_DATABASE: 'automation',
					DB_POSTGRESDB_USER: 'n8n',
					DB_POSTGRESDB_PASSWORD_FILE: secret,
					DB_POSTGRESDB_SSL_ENABLED: 'true',
				}),
			).toEqual({
				type: 'postgres',
				host: 'db.internal',
				port: 6543,
				database: 'automation',
				user: 'n8n',
				password: 's3cret',
				ssl: { rejectUnauthorized: true },
			});
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('says what is wrong with a database type it cannot read or a secret file that is missing', () => {
		expect(() => n8nOwnDatabase({ DB_TYPE: 'mysqldb' })).toThrow(N8nDatabaseError);
		expect(() => n8nOwnDatabase({ DB_TYPE: 'mysqldb' })).toThrow(/DB_TYPE=mysqldb/);
		expect(() =>
			n8nOwnDatabase({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_PASSWORD_FILE: '/nonexistent/pw' }),
		).toThrow(/DB_POSTGRESDB_PASSWORD_FILE names \/nonexistent\/pw/);
	});
});
