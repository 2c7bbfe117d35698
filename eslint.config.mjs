// ESLint for the whole repository (npm run lint): typescript-eslint's recommended rules for the
// TypeScript (nodes, core, the dashboard's server and browser code, tests), ESLint's for the
// JavaScript (benches, scripts), and n8n's config for community nodes
// (@n8n/eslint-plugin-community-nodes, recommended) on nodes/ and credentials/, with only the
// n8n Cloud verification rules turned off that this package must break.
import js from '@eslint/js';
import n8nCommunityNodes from '@n8n/eslint-plugin-community-nodes';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{
		ignores: ['dist/**', 'node_modules/**', 'bench/results/**'],
	},
	{ files: ['**/*.ts'], extends: tseslint.configs.recommended },
	// The benches, scripts, test fixtures and configs in JavaScript are CommonJS run by Node.js.
	{
		files: ['**/*.js', '**/*.cjs'],
		extends: [js.configs.recommended],
		languageOptions: { sourceType: 'commonjs', globals: globals.node },
	},
	{
		files: ['**/*.mjs'],
		extends: [js.configs.recommended],
		languageOptions: { sourceType: 'module', globals: globals.node },
	},
	// `const { dropped: _, ...rest } = value` is how the code leaves keys out of a copy.
	{
		files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
		rules: { 'no-unused-vars': ['error', { ignoreRestSiblings: true }] },
	},
	{
		files: ['**/*.ts'],
		rules: { '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }] },
	},
	// Its page callbacks run in Chromium, where window and document exist.
	{ files: ['bench/dashboard-bundle.js'], languageOptions: { globals: globals.browser } },
	// Tests load what n8n loads, the built dist/ and n8n's own modules, by paths computed at run
	// time, and node:sqlite only in the tests that use it; `require` says that plainly.
	{ files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
	// The browser tests' page callbacks run in Chromium but compile with the tests, which have no
	// DOM types (tsconfig.json: lib ES2022), so the elements they walk are `any`.
	{ files: ['test/browser/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
	// core/ and migrations/ are free of n8n: n8n's node rules apply to nodes/ and credentials/.
	{ ...n8nCommunityNodes.configs.recommended, files: ['nodes/**/*.ts', 'credentials/**/*.ts'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: {
			// Cloud verification: the store needs knex, sqlite3 and pg, and host metrics need systeminformation.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			// Cloud verification: collectors read /proc, /sys and files (the store, cgroups) and call nvidia-smi.
			'@n8n/community-nodes/no-restricted-imports': 'off',
			// Cloud verification: timers and process facts (hostname, pid, cpuUsage) are what a collector measures.
			'@n8n/community-nodes/no-restricted-globals': 'off',
			// Cloud verification: users keep their secrets in n8n's own credential types (Header Auth,
			// Basic Auth, Postgres, MySQL, n8n API), which n8n itself ships; copying them would make users
			// enter each secret twice.
			'@n8n/community-nodes/no-credential-reuse': 'off',
			'@n8n/community-nodes/valid-credential-references': 'off',
			// Meant for webhooks registered at a third-party service; the dashboard registers nowhere.
			'@n8n/community-nodes/webhook-lifecycle-complete': 'off',
		},
	},
	// The store is the one door to the database: SQL and table names live in core/store, which
	// hands out typed methods, never a Knex handle. Knex itself runs the migrations. Tests that
	// prove what is stored reach the tables through test/helpers/tables.ts; the upgrade test
	// builds an old layout with a Knex of its own, as does the packed rollups' upgrade test.
	{
		files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
		ignores: [
			'core/store/**',
			'migrations/**',
			'test/helpers/tables.ts',
			'test/integration/store-upgrade.test.ts',
			'test/integration/rollup-upgrade.test.ts',
		],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [
						{
							name: 'knex',
							message:
								'Only core/store talks to the database: add a typed method to the store instead.',
						},
					],
					patterns: [
						{
							group: ['knex/*'],
							message: 'Only core/store talks to the database.',
						},
					],
				},
			],
			// The same for CommonJS (benches, scripts) and tests' require().
			'no-restricted-syntax': [
				'error',
				{
					selector: "CallExpression[callee.name='require'][arguments.0.value=/^knex(\\u002F|$)/]",
					message:
						'Only core/store talks to the database: add a typed method to the store instead.',
				},
			],
		},
	},
);
