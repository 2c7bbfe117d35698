/**
 * Which SQLite driver this process can load. The store and the SQLite database collector both
 * open SQLite files, each its own way; this is what they share.
 */
export type SqliteDriver = 'auto' | 'sqlite3' | 'node:sqlite';

/** No SQLite driver loads here; `hint` says what to do. */
export class SqliteDriverError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'SqliteDriverError';
	}
}

export function loadNodeSqlite(): typeof import('node:sqlite') {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require('node:sqlite');
}

const firstLine = (error: unknown) =>
	(error instanceof Error ? error.message : String(error)).split('\n')[0];

/** sqlite3 when its native binary loads (asynchronous), else node:sqlite. */
export function resolveSqliteDriver(wanted: SqliteDriver = 'auto'): 'sqlite3' | 'node:sqlite' {
	const problems: string[] = [];
	if (wanted === 'auto' || wanted === 'sqlite3') {
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			require('sqlite3');
			return 'sqlite3';
		} catch (error) {
			problems.push(`sqlite3: ${firstLine(error)}`);
		}
	}
	if (wanted === 'auto' || wanted === 'node:sqlite') {
		try {
			loadNodeSqlite();
			return 'node:sqlite';
		} catch (error) {
			problems.push(`node:sqlite: ${firstLine(error)}`);
		}
	}
	throw new SqliteDriverError(
		`No SQLite driver can be loaded in Node.js ${process.version} (${problems.join('; ')})`,
		'Run n8n on Node.js 22.5 or later (n8n 2.x needs Node.js 24, which has node:sqlite built in), ' +
			'or build the sqlite3 binary with `npm rebuild sqlite3` in the package folder, ' +
			'or use a PostgreSQL store through the Monitoring Store credential.',
	);
}
