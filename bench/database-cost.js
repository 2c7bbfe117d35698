#!/usr/bin/env node
// @ts-check
/*
 * What one database collection costs against a PostgreSQL 15 database with 500 tables (plus
 * pg_stat_statements): wall time and the collector process's CPU (user + system) per collection,
 * and the server side's CPU: the backends each collection starts are reaped by the postmaster, so
 * the growth of its children's CPU time (cutime + cstime in /proc/<pid>/stat) is what they cost
 * (background workers reaped in the same span count too: an upper bound).
 * Needs `npx tsc -p tsconfig.build.json` first. A private cluster on loopback, removed at the end.
 *
 *   node bench/database-cost.js [N]
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { startPostgres } = require('../scripts/pg-cluster');
const { databaseCollector } = require('../dist/core/collectors/database');
const { runCollector } = require('../dist/core/collectors/run');

const N = Math.max(5, Math.min(500, Number(process.argv[2]) || 30));
const TABLES = 500;
const TICKS = 100; // USER_HZ on Linux

function childrenCpuSeconds(pid) {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// Fields 16 and 17 (cutime, cstime), counted from 1 with pid; here the list starts at field 3.
	return (Number(fields[13]) + Number(fields[14])) / TICKS;
}

const stats = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
	return {
		mean: s.reduce((a, b) => a + b, 0) / s.length,
		p50: q(0.5),
		p95: q(0.95),
		max: s[s.length - 1],
	};
};

async function main() {
	const pg = await startPostgres({ preload: ['pg_stat_statements'] });
	try {
		pg.psql('CREATE EXTENSION pg_stat_statements', 'monitoring');
		pg.psql(
			`DO $$ BEGIN FOR i IN 1..${TABLES} LOOP
				EXECUTE format('CREATE TABLE t%s (id serial PRIMARY KEY, v text)', i);
				EXECUTE format('INSERT INTO t%s (v) SELECT repeat(''x'', 50) FROM generate_series(1, %s)', i, 1 + i % 50);
			END LOOP; END $$; ANALYZE;`,
			'monitoring',
		);
		const dataDir = pg.psql('SHOW data_directory').trim();
		const postmaster = Number(
			fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
		);
		/** @type {import('../core/collectors/database').DatabaseOptions} */
		const options = {
			target: {
				type: 'postgres',
				host: pg.host,
				port: pg.port,
				database: 'monitoring',
				user: pg.user,
				password: pg.password,
			},
			topTables: 10,
			slowQueries: 10,
		};
		// Warm-up: the first connection loads catalog caches and the pg module.
		// (A bare-connection baseline follows, below.)
		let previous = (await runCollector(databaseCollector, options, { host: 'bench' })).state;
		const wall = [];
		const cpu = [];
		const serverCpu0 = childrenCpuSeconds(postmaster);
		let samples = 0;
		for (let i = 0; i < N; i++) {
			const c0 = process.cpuUsage();
			const t0 = process.hrtime.bigint();
			const c = await runCollector(databaseCollector, options, { host: 'bench', previous });
			wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
			const d = process.cpuUsage(c0);
			cpu.push((d.user + d.system) / 1000);
			if (!c.ok || !c.snapshot.up)
				throw new Error(`collection failed: ${c.error ?? c.snapshot.reason}`);
			previous = c.state;
			samples = c.samples.length;
		}
		// Backends are reaped a moment after they exit.
		await new Promise((r) => setTimeout(r, 300));
		const serverCpuMs = ((childrenCpuSeconds(postmaster) - serverCpu0) * 1000) / N;

		// Baseline: a bare connection (SCRAM authentication, backend start) with one SELECT 1,
		// which any collection pays; the rest is what the collector's queries add.
		const { Client } = require('pg');
		const bareWall = [];
		const bareCpu = [];
		const bare0 = childrenCpuSeconds(postmaster);
		for (let i = 0; i < N; i++) {
			const c0 = process.cpuUsage();
			const t0 = process.hrtime.bigint();
			const client = new Client(/** @type {import('pg').ClientConfig} */ ({ ...options.target }));
			await client.connect();
			await client.query('SELECT 1');
			await client.end();
			bareWall.push(Number(process.hrtime.bigint() - t0) / 1e6);
			const d = process.cpuUsage(c0);
			bareCpu.push((d.user + d.system) / 1000);
		}
		await new Promise((r) => setTimeout(r, 300));
		const bareServerCpuMs = ((childrenCpuSeconds(postmaster) - bare0) * 1000) / N;
		// Where the server time goes: the collector's own statements, by total time per collection.
		const perStatement = pg
			.psql(
				`SELECT round((total_exec_time / ${N + 1})::numeric, 2) || ' ms  ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 70)
				 FROM pg_stat_statements WHERE calls >= ${N} ORDER BY total_exec_time DESC LIMIT 6`,
				'monitoring',
			)
			.trim()
			.split('\n');
		const result = {
			when: new Date().toISOString(),
			node: process.version,
			postgres: pg.psql('SHOW server_version').trim(),
			tables: TABLES,
			runs: N,
			samplesPerCollection: samples,
			wallMs: stats(wall),
			collectorCpuMs: stats(cpu),
			serverCpuMsPerCollection: serverCpuMs,
			serverMsPerCollectionByStatement: perStatement,
			bareConnection: {
				wallMs: stats(bareWall),
				clientCpuMs: stats(bareCpu),
				serverCpuMs: bareServerCpuMs,
			},
			note: 'loopback, private cluster (fsync off); server CPU = postmaster children (10 ms ticks), an upper bound',
		};
		fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
		fs.writeFileSync(
			path.join(__dirname, 'results', 'database-cost.json'),
			JSON.stringify(result, null, '\t') + '\n',
		);
		console.log(JSON.stringify(result, null, 2));
	} finally {
		await pg.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
