// Lint for the whole repository: typescript-eslint's recommended rules plus the project's own
// boundaries that are about code, not imports (dependency-cruiser checks the imports).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'examples/client/', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Function is the honest type of a class constructor handed to type-graphql.
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: {
      // Only config.ts reads the environment: everything else gets a validated Config.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings through src/config.ts.' }],
      // Logs go through the project's logger, which never carries personal data.
      'no-console': ['error'],
      // type-graphql's @Root() copies a typed root, reading (so decrypting) every sealed field first.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'type-graphql', importNames: ['Root'], message: 'Use @Parent() (src/common/parent.decorator.ts): @Root() opens every sealed field.' },
          ],
        },
      ],
    },
  },
  {
    // Tests and the bench read loosely typed JSON responses; `any` there is the honest type.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Build and launcher scripts run in Node.
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['src/main.ts'],
    rules: { 'no-console': 'off' },
  },
);
