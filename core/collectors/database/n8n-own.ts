/*
 * "This n8n's own database": the target n8n itself runs on, read from the settings n8n reads at
 * start (the same environment variables, in n8n's process), so the database starter workflow has
 * real data on day one without a credential. n8n 2.x: DB_TYPE sqlite (default) keeps
 * `database.sqlite` in <N8N_USER_FOLDER or home>/.n8n; DB_TYPE postgresdb reads DB_POSTGRESDB_*,
 * each also as a `_FILE` variant holding a path to the value (Docker secrets).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { DatabaseTarget } from './types';

export class N8nDatabaseError extends Error {}

type Env = Record<string, string | undefined>;

function setting(env: Env, name: string): string | undefined {
	const file = env[`${name}_FILE`];
	if (file) {
		try {
			return fs.readFileSync(file, 'utf8').trim();
		} catch (error) {
			throw new N8nDatabaseError(
				`${name}_FILE names ${file}, which cannot be read: ${(error as Error).message}`,
			);
		}
	}
	return env[name];
}

/** The database this n8n process runs on, from its environment. */
export function n8nOwnDatabase(env: Env = process.env): DatabaseTarget {
	const type = (setting(env, 'DB_TYPE') || 'sqlite').toLowerCase();
	if (type === 'sqlite') {
		const folder = path.join(env.N8N_USER_FOLDER || os.homedir(), '.n8n');
		const file = setting(env, 'DB_SQLITE_DATABASE') || 'database.sqlite';
		return { type: 'sqlite', filename: path.resolve(folder, file), openInThisProcess: true };
	}
	if (type === 'postgresdb' || type === 'postgres') {
		const ssl =
			setting(env, 'DB_POSTGRESDB_SSL_ENABLED') === 'true' ||
			Boolean(setting(env, 'DB_POSTGRESDB_SSL_CA'));
		return {
			type: 'postgres',
			host: setting(env, 'DB_POSTGRESDB_HOST') || 'localhost',
			port: Number(setting(env, 'DB_POSTGRESDB_PORT') || 5432),
			database: setting(env, 'DB_POSTGRESDB_DATABASE') || 'n8n',
			user: setting(env, 'DB_POSTGRESDB_USER') || 'postgres',
			password: setting(env, 'DB_POSTGRESDB_PASSWORD') || '',
			ssl: ssl
				? {
						rejectUnauthorized: setting(env, 'DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED') !== 'false',
					}
				: false,
		};
	}
	throw new N8nDatabaseError(
		`this n8n runs on DB_TYPE=${type}, which the database collector does not read; n8n 2.x supports sqlite and postgresdb`,
	);
}
