// Projects: unit tests once, the API suite (test/api) twice — on a temporary SQLite file and
// on a fresh MariaDB database per test file — and the database fault tests (test/faults) once:
// they start, freeze and kill MariaDB servers of their own — and the multi-instance tests
// (test/instances) once, on MariaDB and Redis. `npm test` runs them all.
const transform = {
  // jose ships ESM only: babel rewrites its module syntax to CommonJS and nothing else.
  '/node_modules/jose/.+\\.js$': ['babel-jest', { babelrc: false, configFile: false, plugins: ['@babel/plugin-transform-modules-commonjs'] }],
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
};
const common = {
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  setupFiles: ['reflect-metadata'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/global-setup.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'sqlite',
      testMatch: ['<rootDir>/test/api/**/*.test.ts'],
      setupFiles: [...common.setupFiles, '<rootDir>/test/support/use-sqlite.ts'],
    },
    // Headless Chromium against a started gateway: once, on SQLite.
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      setupFiles: [...common.setupFiles, '<rootDir>/test/support/use-sqlite.ts'],
    },
    {
      ...common,
      displayName: 'mariadb',
      testMatch: ['<rootDir>/test/api/**/*.test.ts'],
      setupFiles: [...common.setupFiles, '<rootDir>/test/support/use-mariadb.ts'],
    },
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'] },
    // Several gateways behind one MariaDB database (and Redis): what runs once, what is shared.
    { ...common, displayName: 'instances', testMatch: ['<rootDir>/test/instances/**/*.test.ts'] },
  ],
};
