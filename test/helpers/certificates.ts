import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificate {
	key: Buffer;
	cert: Buffer;
}

/**
 * A self-signed certificate for 127.0.0.1, valid 30 days, made by openssl (which must be on
 * PATH) for the HTTPS servers a test starts: no certificate is committed to expire in the repo.
 */
export function selfSignedCertificate(): TestCertificate {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-cert-'));
	try {
		const key = path.join(dir, 'key.pem');
		const cert = path.join(dir, 'cert.pem');
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-days',
				'30',
				'-subj',
				'/CN=127.0.0.1',
				'-addext',
				'subjectAltName=IP:127.0.0.1',
				'-keyout',
				key,
				'-out',
				cert,
			],
			{ stdio: 'pipe' },
		);
		return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
