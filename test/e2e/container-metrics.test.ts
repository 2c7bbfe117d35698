// The containers starter workflow, imported into a fresh n8n and run from the CLI: as shipped
// (the machine's /var/run/docker.sock, which a test machine normally lacks), and pointed at a
// private Docker engine started here (Debian's dockerd with its own dirs and socket, busybox
// containers: one running, one failing its health check, one that crashed, one docker-stopped).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { IMAGE, startDocker, type TestDocker } from '../helpers/docker';
import {
	CLI_TIMEOUT_MS,
	makeTempDir,
	n8nOptions,
	querySqlite,
	REPO_ROOT,
	removeTempDir,
	requireBuild,
	runtime,
	storePath,
	writeWorkflowCopy,
} from './helpers';

const host = os.hostname();
const WORKFLOW = path.join(REPO_ROOT, 'workflows', 'container-metrics.json');
const NODE = 'Collect container metrics';

describe('n8n execute: the containers starter against a real Docker engine', () => {
	let userFolder: string;
	let d: TestDocker;
	const shipped = JSON.parse(fs.readFileSync(WORKFLOW, 'utf8'));
	const pointedId = `${shipped.id}Here`;

	beforeAll(
		async () => {
			requireBuild();
			runtime.ensureRuntime();
			d = await startDocker();
			const run = (...args: string[]) => d.docker('run', '-d', '--network', 'none', ...args);
			run('--name', 'web', IMAGE, 'sleep', '100000');
			run(
				...['--name', 'sick', '--health-cmd', 'false', '--health-interval', '1s'],
				...['--health-retries', '1', IMAGE, 'sleep', '100000'],
			);
			run('--name', 'crashed', IMAGE, 'sh', '-c', 'exit 2');
			run('--name', 'halted', IMAGE, 'sleep', '100000');
			d.docker('stop', '-t', '1', 'halted');
			const deadline = Date.now() + 60_000;
			while (
				d.inspect('sick').State.Health?.Status !== 'unhealthy' ||
				d.inspect('crashed').State.Status !== 'exited'
			) {
				if (Date.now() > deadline) throw new Error('containers did not settle in 60 s');
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			userFolder = makeTempDir('containers');
			runtime.linkPackage(userFolder);
			await runtime.importWorkflow(WORKFLOW, n8nOptions(userFolder));
			const copy = writeWorkflowCopy(WORKFLOW, makeTempDir('containers-wf'), (wf) => {
				wf.id = pointedId;
				wf.name = `${wf.name} (test engine)`;
				wf.nodes.find((n: { name: string }) => n.name === NODE).parameters.socketPath = d.socket;
			});
			await runtime.importWorkflow(copy, n8nOptions(userFolder));
			removeTempDir(path.dirname(copy));
		},
		CLI_TIMEOUT_MS * 2 + 180_000,
	);

	afterAll(async () => {
		await d?.stop();
		removeTempDir(userFolder);
	}, 60_000);

	const latest = async (metric: string) => {
		const rows = await querySqlite<{ value: number; labels: string }>(
			storePath(userFolder),
			`SELECT s.value, r.labels FROM mon_samples s JOIN mon_series r ON r.id = s.series_id
			 WHERE r.metric = ? AND r.host = ? ORDER BY s.ts`,
			[metric, host],
		);
		const out: Record<string, number> = {};
		for (const r of rows) out[JSON.parse(r.labels).container] = r.value;
		return out;
	};

	it(
		'as shipped: the default socket path, an engine or "no container engine found" as data',
		async () => {
			const result = await runtime.executeWorkflow(shipped.id, n8nOptions(userFolder));
			const [item] = runtime.nodeOutput(result.run, NODE);
			expect(item).toMatchObject({ collector: 'containers', host, ok: true, stored: true });
			if (fs.existsSync('/var/run/docker.sock'))
				expect(item.snapshot.engine).toBeTruthy(); // a machine that runs an engine
			else {
				expect(item.snapshot.message).toContain('no container engine found');
				// Its own collector_up and duration, nothing of containers.
				expect(Object.keys(await latest('docker_container_up'))).toEqual([]);
				const docker = await querySqlite<{ n: number }>(
					storePath(userFolder),
					`SELECT COUNT(*) AS n FROM mon_series WHERE metric LIKE 'docker_%'`,
				);
				expect(docker[0].n).toBe(0);
			}
		},
		2 * CLI_TIMEOUT_MS,
	);

	it(
		'pointed at an engine: each container with its state, health and verdict, stored',
		async () => {
			const result = await runtime.executeWorkflow(pointedId, n8nOptions(userFolder));
			const [item] = runtime.nodeOutput(result.run, NODE);
			expect(item).toMatchObject({ collector: 'containers', host, ok: true, stored: true });
			const rows = Object.fromEntries(
				(item.snapshot.containers as Array<{ name: string; state: string }>).map((r) => [
					r.name,
					r,
				]),
			);
			expect(Object.keys(rows).sort()).toEqual(['crashed', 'halted', 'sick', 'web']);
			for (const name of Object.keys(rows))
				expect([name, rows[name].state]).toEqual([name, d.inspect(name).State.Status]);
			expect(await latest('docker_container_up')).toEqual({
				web: 1,
				sick: 1,
				crashed: 0,
				halted: 0,
			});
			expect(await latest('docker_container_healthy')).toEqual({ sick: 0 });
			// exit 2 is a failure; the docker stop's 137 is not.
			expect(await latest('docker_container_failed')).toEqual({
				web: 0,
				sick: 0,
				crashed: 1,
				halted: 0,
			});
			expect(await latest('docker_container_exit_code')).toMatchObject({ crashed: 2, halted: 137 });
			const engine = await querySqlite<{ value: number; labels: string }>(
				storePath(userFolder),
				`SELECT s.value, r.labels FROM mon_samples s JOIN mon_series r ON r.id = s.series_id
				 WHERE r.metric = 'docker_engine_containers' AND r.host = ?`,
				[host],
			);
			const byState = Object.fromEntries(engine.map((e) => [JSON.parse(e.labels).state, e.value]));
			expect(byState).toMatchObject({ running: 2, stopped: 2 });
		},
		2 * CLI_TIMEOUT_MS,
	);
});
