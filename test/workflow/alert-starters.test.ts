import fs from 'node:fs';
import path from 'node:path';

import { runWorkflow, shutdownWorkflowRunner, type WorkflowJson } from '../helpers/workflow-runner';

/**
 * The alert starters' messages and routing, run by n8n-core: the trigger is swapped for a Manual
 * Trigger and a Set node that hands one item as the trigger would (firing with its acknowledge
 * link, acknowledged, escalated), and each sending node (Slack, Telegram, e-mail: they need the
 * user's credentials) for a Set node that evaluates the same expressions. So the starters' own
 * expressions and the escalation starter's If node are what is tested.
 */
const ROOT = path.join(__dirname, '..', '..');
const ACK = 'https://n8n.example.com/webhook/monitoring/ack?alert=7&exp=1796289300&sig=abc_DEF-123';

afterAll(async () => {
	await shutdownWorkflowRunner();
});

const SENDERS = ['n8n-nodes-base.slack', 'n8n-nodes-base.telegram', 'n8n-nodes-base.emailSend'];

function event(status: string, extra: Record<string, unknown> = {}) {
	return {
		status,
		source: 'rule',
		rule: 'CPU busy',
		severity: 'critical',
		host: 'web-1',
		message: `${status}: CPU busy on web-1`,
		link: 'https://n8n.example.com/webhook/monitoring/#/host/web-1',
		...extra,
	};
}

/** The starter with its trigger feeding `item` and its senders as Set nodes of their texts. */
function harness(file: string, item: Record<string, unknown>): WorkflowJson {
	const wf = JSON.parse(
		fs.readFileSync(path.join(ROOT, 'workflows', file), 'utf8'),
	) as WorkflowJson;
	const nodes = wf.nodes.flatMap((n) => {
		if (n.type === 'n8n-nodes-monitoring.monitoringTrigger')
			return [
				{
					...n,
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					parameters: {},
				},
				{
					...n,
					id: 'a0000000-0000-4000-8000-00000000000f',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: { mode: 'raw', jsonOutput: JSON.stringify(item), options: {} },
				},
			];
		if (SENDERS.includes(n.type)) {
			const p = n.parameters as Record<string, string>;
			const texts = Object.entries({ text: p.text, subject: p.subject }).filter(([, v]) => v);
			return [
				{
					...n,
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: {
						mode: 'manual',
						assignments: {
							assignments: texts.map(([name, value], i) => ({
								id: `a${i}`,
								name,
								value,
								type: 'string',
							})),
						},
						options: {},
					},
					credentials: undefined,
				},
			];
		}
		return [n];
	}) as WorkflowJson['nodes'];
	const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-monitoring.monitoringTrigger')!;
	return {
		...wf,
		nodes,
		connections: {
			...wf.connections,
			Start: { main: [[{ node: trigger.name, type: 'main' as never, index: 0 }]] },
		},
	};
}

async function texts(file: string, item: Record<string, unknown>) {
	const r = await runWorkflow(harness(file, item), { startNode: 'Start' });
	expect(r.error).toBeUndefined();
	const wf = JSON.parse(
		fs.readFileSync(path.join(ROOT, 'workflows', file), 'utf8'),
	) as WorkflowJson;
	const out: Record<string, Record<string, unknown>> = {};
	for (const n of wf.nodes)
		if (SENDERS.includes(n.type) && r.items[n.name]?.length) out[n.name] = r.items[n.name][0];
	return out;
}

test.each(['alert-to-email.json', 'alert-to-slack.json', 'alert-to-telegram.json'])(
	'%s: the firing message carries the acknowledge link; other statuses say what they are',
	async (file) => {
		const [firing] = Object.values(await texts(file, event('firing', { ackLink: ACK })));
		expect(firing.text).toContain(ACK);
		expect(firing.text).toContain('firing: CPU busy on web-1');
		const [acked] = Object.values(await texts(file, event('acknowledged')));
		expect(acked.text).not.toContain('/ack?');
		expect(acked.text).not.toMatch(/undefined/);
		if (file === 'alert-to-email.json') {
			expect(firing.subject).toBe('[CRITICAL] CPU busy on web-1');
			expect(acked.subject).toBe('[ACKNOWLEDGED] CPU busy on web-1');
		} else {
			// Each status its own sign: an acknowledged alert must not look resolved.
			const [resolved] = Object.values(await texts(file, event('resolved')));
			const sign = (t: unknown) => String(t).split(' ')[0];
			expect(new Set([firing.text, acked.text, resolved.text].map(sign)).size).toBe(3);
		}
	},
);

test('alert-escalation.json: escalated items page the on-call on Telegram, every other goes to Slack', async () => {
	const escalated = await texts(
		'alert-escalation.json',
		event('escalated', { escalationLevel: 2, ackLink: ACK }),
	);
	expect(Object.keys(escalated)).toEqual(['Page the on-call (Telegram)']);
	expect(escalated['Page the on-call (Telegram)'].text).toMatch(
		/^🚨 Nobody acknowledged this for 60 min \(level 2\): escalated: CPU busy on web-1/,
	);
	expect(escalated['Page the on-call (Telegram)'].text).toContain(ACK);
	for (const status of ['firing', 'resolved', 'acknowledged']) {
		const sent = await texts('alert-escalation.json', event(status, { ackLink: ACK }));
		expect(Object.keys(sent)).toEqual(['Post to Slack']);
	}
	const wf = JSON.parse(
		fs.readFileSync(path.join(ROOT, 'workflows', 'alert-escalation.json'), 'utf8'),
	) as WorkflowJson;
	const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-monitoring.monitoringTrigger')!;
	expect(trigger.parameters.options).toEqual({ escalateAfter: '30', escalationLevels: 2 });
});
