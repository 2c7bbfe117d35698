/*
 * An anomaly event's line in Korean, beside the English `message` (./message.ts), e.g.
 * "발생: 이 시간대치고 비정상적으로 높은 CPU (web-1): 90 %, 월요일 14:00 UTC 평소 범위는
 * 34.8 % ~ 54.8 %, 평소 변동의 22.6배 높음, 2026-11-30 13:01 UTC부터 (59분)". The presets' names
 * are translated as the dashboard translates them; a rule's own name is the user's text, kept.
 */
import type { Judged } from '../analysis/anomaly';
import { clock, formatValue, rangeText, targetText } from './message';
import type { AlertRule, RuleEvent } from './types';

const PRESET_NAMES_KO: Record<string, string> = {
	'CPU unusually high for the hour': '이 시간대치고 비정상적으로 높은 CPU',
	'Unusual network traffic': '평소와 다른 네트워크 트래픽',
	'Endpoint latency unusual': '평소와 다른 엔드포인트 지연 시간',
	'Workflow runs far less than usual': '워크플로 실행이 평소보다 훨씬 적음',
};

const WEEKDAYS_KO = ['일요일', '월요일', '화요일', '수요일', '목요일', '금요일', '토요일'];

function durationKo(ms: number): string {
	const minutes = Math.max(0, Math.round(ms / 60_000));
	if (minutes < 60) return `${minutes}분`;
	const hours = Math.floor(minutes / 60);
	return minutes % 60 ? `${hours}시간 ${minutes % 60}분` : `${hours}시간`;
}

/** "월요일 14:00 UTC ", "14:00 UTC ", or nothing for a single level. */
function usualForKo(a: Judged, at: number): string {
	const d = new Date(at);
	const hour = `${String(d.getUTCHours()).padStart(2, '0')}:00 UTC`;
	if (a.expected.source === 'weekly') return `${WEEKDAYS_KO[d.getUTCDay()]} ${hour} `;
	if (a.expected.source === 'daily') return `${hour} `;
	return '';
}

export function anomalyMessageKo(rule: AlertRule, e: RuleEvent, a: Judged): string {
	const what = `${PRESET_NAMES_KO[rule.name] ?? rule.name} (${targetText(e.host, e.labels)})`;
	const usual = `${usualForKo(a, e.at)}평소 범위는 ${rangeText(a, rule.unit).replace(' to ', ' ~ ')}`;
	if (e.kind === 'resolved') {
		if (e.reason === 'stopped reporting')
			return `해결: ${what}: 보고 중단 (${durationKo(e.at - e.since)} 동안 평소와 달랐음)`;
		return `해결: ${what}: ${formatValue(a.observed, rule.unit)}, ${durationKo(e.at - e.since)} 만에 평소 범위로 돌아옴 (${usual})`;
	}
	const side = a.score >= 0 ? '높음' : '낮음';
	const how =
		Math.abs(a.score) >= 100
			? `평소 어떤 값보다도 훨씬 ${side}`
			: `평소 변동의 ${Math.abs(a.score).toFixed(1)}배 ${side}`;
	const since = Math.min(e.since, a.since ?? e.since);
	return `${e.repeat ? '계속 발생' : '발생'}: ${what}: ${formatValue(a.observed, rule.unit)}, ${usual}, ${how}, ${clock(since)}부터 (${durationKo(e.at - since)})`;
}
