// n8n's ESLint config for community nodes (@n8n/eslint-plugin-community-nodes, recommended),
// with only the n8n Cloud verification rules turned off that this package must break.
import n8nCommunityNodes from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'bench/**',
			'scripts/**',
			'test/**',
			'**/*.js',
			'**/*.mjs',
		],
	},
	...tseslint.configs.recommended,
	// core/ and migrations/ are free of n8n (DESIGN): n8n's node rules apply to nodes/ and credentials/.
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
	// builds an old layout with a Knex of its own.
	{
		files: ['**/*.ts', '**/*.js', '**/*.mjs'],
		ignores: [
			'core/store/**',
			'migrations/**',
			'test/helpers/tables.ts',
			'test/integration/store-upgrade.test.ts',
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
		},
	},
);
