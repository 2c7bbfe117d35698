/** One HTTP(S) check: a request, and what its answer must look like to count as up. */
export interface EndpointCheck {
	/** Label for the samples; defaults to the URL without credentials, query or fragment. */
	name?: string;
	/** http:// or https://. Credentials in it are sent as Basic auth and never shown. */
	url: string;
	/** Default GET. */
	method?: string;
	/** Sent with the request (tokens); never copied into samples, snapshot or reasons. */
	headers?: Record<string, string>;
	body?: string;
	/** Status codes that count as up: a list, or ranges such as "200-299,301". Default 200-299. */
	expectedStatus?: number[] | string;
	/** Text the body (its first 1 MB) must contain. */
	bodyContains?: string;
	/** Dotted path into a JSON body ("status", "data.items.0.state"); it must exist. */
	jsonPath?: string;
	/** What the value at jsonPath must equal: a string as is, anything else as its JSON text. */
	jsonEquals?: string;
	/** For the whole check: DNS, connect, TLS, every redirect, the body. Default 10000 ms. */
	timeoutMs?: number;
	/** Default true, at most 5 hops. */
	followRedirects?: boolean;
	/** Accept a certificate that does not verify (self-signed); it is still read and reported. */
	ignoreTlsErrors?: boolean;
}

export interface EndpointOptions {
	checks: EndpointCheck[];
	/** Checks run at once. Default 8. */
	concurrency?: number;
}

/** The peer certificate of an HTTPS hop. */
export interface CertificateInfo {
	/** Host name of the hop it came from. */
	host: string;
	/** Fractional days until valid_to; negative once expired. */
	daysLeft: number;
	/** ISO time. */
	validTo: string;
	/** Issuer's CN (else O). */
	issuer: string;
	/** Subject's CN. */
	subject: string;
	/** Whether it verified against the trusted CAs and the host name. */
	authorized: boolean;
	/** Why it did not verify. */
	error?: string;
}

/** What one check found. Phase timings describe the final hop; see probe.ts. */
export interface CheckResult {
	/** The label of its samples. */
	endpoint: string;
	/** The configured URL without credentials, query or fragment. */
	url: string;
	method: string;
	up: boolean;
	/** Why it is down. */
	reason?: string;
	/** Of the final hop; null when no answer came. */
	statusCode: number | null;
	/** Where the last hop went (without credentials or query); null when nothing answered. */
	finalUrl: string | null;
	redirects: number;
	/** IP address of the final hop's connection. */
	remoteAddress: string | null;
	dnsSeconds: number | null;
	connectSeconds: number | null;
	/** Null for http:// hops. */
	tlsSeconds: number | null;
	/** From the request written to the first byte of the answer (server wait). */
	firstByteSeconds: number | null;
	downloadSeconds: number | null;
	/** Time spent on the hops before the final one. */
	redirectSeconds: number;
	/** From the start of the check to its end (answer read, or failure). */
	totalSeconds: number;
	/** Body bytes of the final answer, counted in full even past the read limit. */
	responseBytes: number | null;
	/** The certificate that expires first among the HTTPS hops; null when none was seen. */
	certificate: CertificateInfo | null;
}

export interface EndpointSnapshot {
	checks: CheckResult[];
	up: number;
	down: number;
}
