// Builds dist/ (and the GraphiQL bundle) once before the suite: the start-up test runs the compiled entry point as a user
// would, and a type error anywhere fails the run here (ts-jest itself only transpiles).
const { execFileSync } = require('node:child_process');

module.exports = async function globalSetup() {
  execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['tsc', '-p', 'tsconfig.json', '--outDir', 'dist'], { stdio: 'inherit' });
  // The GraphiQL bundle the gateway serves outside production (the browser test opens it).
  execFileSync(process.execPath, ['scripts/build-graphiql.mjs'], { stdio: 'inherit' });
};
