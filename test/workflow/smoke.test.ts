import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { runWorkflow } from '../helpers/workflow-runner';
import wfJson from './fixtures/host-collect.json';
test('smoke', async () => {
	const t = Date.now();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smk-'));
	const r = await runWorkflow(wfJson as never, { env: { N8N_MONITORING_SQLITE_PATH: path.join(dir, 'm.sqlite') } });
	console.log(Date.now() - t, r.status, r.error, JSON.stringify(r.items.Monitoring).slice(0, 300), r.executionOrder);
	const r2 = await runWorkflow(wfJson as never, { env: { N8N_MONITORING_SQLITE_PATH: path.join(dir, 'm.sqlite') } });
	console.log(Date.now() - t, r2.status);
});
