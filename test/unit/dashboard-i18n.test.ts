/** The two message tables must offer the same labels, or a Korean user meets a blank or a key. */
import { messages, pickLang, setLang, t } from '../../dashboard/web/src/i18n';

describe('dashboard i18n', () => {
	it('has the same keys in English and Korean, none empty', () => {
		const en = Object.keys(messages.en).sort();
		const ko = Object.keys(messages.ko).sort();
		expect(ko).toEqual(en);
		for (const lang of [messages.en, messages.ko] as Record<string, string>[])
			for (const [key, text] of Object.entries(lang))
				expect(`${key}=${text.trim()}`).not.toBe(`${key}=`);
	});

	it('uses the same placeholders in both languages', () => {
		const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
		for (const key of Object.keys(messages.en) as (keyof typeof messages.en)[])
			expect([key, holes(messages.ko[key])]).toEqual([key, holes(messages.en[key])]);
	});

	it('picks Korean for ko* locales only', () => {
		expect(pickLang('ko-KR')).toBe('ko');
		expect(pickLang('ko')).toBe('ko');
		expect(pickLang('KO_kr')).toBe('ko');
		expect(pickLang('en-US')).toBe('en');
		expect(pickLang('kok-IN')).toBe('en');
		expect(pickLang(undefined)).toBe('en');
	});

	it('fills placeholders as plain text', () => {
		setLang('ko');
		expect(t('hostDetail', { host: '<b>x</b>' })).toBe('호스트 <b>x</b>');
		setLang('en');
		expect(t('updatedAt', { time: '10:00' })).toBe('Updated at 10:00');
	});
});
