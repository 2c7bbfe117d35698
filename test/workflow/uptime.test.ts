import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { closeAllStores, MonitoringStore } from '../../core/store';
import {
	isNodeOperationError,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';
import fixture from './fixtures/host-collect.json';

/**
 * History > Uptime Report inside workflows run by n8n-core's WorkflowExecute, over a real SQLite
 * store: the last two whole UTC days of an endpoint checked every minute (packed, as maintenance
 * leaves history), down for 30 minutes yesterday, and a database checked by another host.
 */
let tmp: string;
let db: string;
const MIN = 60_000;
const DAY_MS = 86_400_000;
const today = () => Math.floor(Date.now() / DAY_MS) * DAY_MS;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-uptime-'));
	db = path.join(tmp, 'store.sqlite');
	const store = await MonitoringStore.open({ type: 'sqlite', filename: db });
	const [api, orders] = await store.bulk.series([
		{ metric: 'endpoint_up', host: 'web-1', labels: { endpoint: 'api' } },
		{ metric: 'db_up', host: 'db-host', labels: { db: 'orders' } },
	]);
	const start = today() - 2 * DAY_MS;
	const yesterdayDown = today() - DAY_MS + 600 * MIN;
	const points: Array<[number, number]> = [];
	for (let t = start; t < today(); t += MIN)
		points.push([t, t >= yesterdayDown && t < yesterdayDown + 30 * MIN ? 0 : 1]);
	await store.bulk.packedHistory(api, points);
	await store.bulk.packedHistory(
		orders,
		points.map(([t]) => [t, 1]),
	);
	await store.close();
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

function workflow(parameters: Record<string, unknown>) {
	const wf = JSON.parse(JSON.stringify(fixture)) as WorkflowJson;
	wf.nodes.find((n) => n.name === 'Monitoring')!.parameters = {
		resource: 'history',
		operation: 'uptime',
		...parameters,
	};
	return wf;
}
const env = () => ({ N8N_MONITORING_SQLITE_PATH: db });

test('one item per target per day, with uptime, down and no-data minutes', async () => {
	const result = await runWorkflow(
		workflow({
			targets: { target: [{ kind: 'endpoint', host: 'web-1', name: 'api' }] },
			period: 'lastDays',
			days: 3,
			granularity: 'day',
		}),
		{ env: env() },
	);
	expect(result.error).toBeUndefined();
	const items = result.items.Monitoring;
	expect(items.map((i) => [i.slot, i.upMinutes, i.downMinutes, i.noDataMinutes])).toEqual([
		[iso(today() - 3 * DAY_MS), 0, 0, 1440],
		[iso(today() - 2 * DAY_MS), 1440, 0, 0],
		[iso(today() - DAY_MS), 1410, 30, 0],
	]);
	expect(items[2]).toMatchObject({
		kind: 'endpoint',
		host: 'web-1',
		name: 'api',
		uptimePercent: 97.917,
		from: new Date(today() - DAY_MS).toISOString(),
		incidents: 0,
		mttrMinutes: null,
	});
	expect(items[0].uptimePercent).toBeNull();
});

test('every target, with maintenance; CSV: one item with all rows and the file as binary data', async () => {
	const down = today() - DAY_MS + 600 * MIN;
	const result = await runWorkflow(
		workflow({
			period: 'lastDays',
			days: 1,
			granularity: 'month',
			maintenance: {
				window: [
					{
						from: new Date(down).toISOString(),
						to: new Date(down + 30 * MIN).toISOString(),
						host: 'web-*',
					},
				],
			},
			options: { csv: true, fileName: 'report.csv' },
		}),
		{ env: env() },
	);
	expect(result.error).toBeUndefined();
	const [out] = result.outputs.Monitoring[0];
	expect(result.outputs.Monitoring[0]).toHaveLength(1);
	const rows = out.json.rows as Array<Record<string, unknown>>;
	expect(rows.map((r) => [r.kind, r.name, r.upMinutes, r.maintenanceMinutes])).toEqual([
		['endpoint', 'api', 1410, 30],
		['database', 'orders', 1440, 0],
	]);
	expect(out.json.targets).toBe(2);
	const file = out.binary!.data;
	expect(file).toMatchObject({ fileName: 'report.csv', mimeType: 'text/csv' });
	const csv = Buffer.from(file.data, 'base64').toString('utf8').split('\r\n');
	expect(csv[0]).toMatch(/^kind,host,name,period,from,to,uptime_percent,up_minutes,down_minutes/);
	expect(csv[1]).toMatch(/^endpoint,web-1,api,\d{4}-\d{2},[^,]+,[^,]+,100,1410,0,0,30,0,0,$/);
	expect(csv).toHaveLength(4); // header, two rows, the empty string after the last CRLF
});

test('a month written wrongly is a NodeOperationError that says how to write it', async () => {
	const result = await runWorkflow(workflow({ period: 'month', month: 'March' }), {
		env: env(),
	});
	expect(result.status).toBe('error');
	expect(isNodeOperationError(result.error)).toBe(true);
	expect(result.error?.message).toBe('Month must be written YYYY-MM, not "March"');
	expect(result.error?.description).toMatch(/2026-03/);
});

test('the starter monthly-uptime-report.json: last month per target, CSV attached for the e-mail node', async () => {
	const file = path.join(__dirname, '..', '..', 'workflows', 'monthly-uptime-report.json');
	const wf = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowJson;
	// No SMTP server here: the run stops before the e-mail node, which reads field "data".
	const send = wf.nodes.find((n) => n.type === 'n8n-nodes-base.emailSend')!;
	expect(send.parameters).toMatchObject({ options: { fileAttachments: 'data' } });
	wf.nodes = wf.nodes.filter((n) => n !== send);
	delete (wf.connections as Record<string, unknown>)['Uptime of last month'];
	const result = await runWorkflow(wf, { env: env(), startNode: 'Run now' });
	expect(result.error).toBeUndefined();
	const [out] = result.outputs['Uptime of last month'][0];
	const now = new Date();
	const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
		.toISOString()
		.slice(0, 7);
	expect(out.binary!.data).toMatchObject({ fileName: `uptime-${month}.csv`, mimeType: 'text/csv' });
	expect((out.json.rows as Array<{ slot: string }>).map((r) => r.slot)).toEqual([month, month]);
});
