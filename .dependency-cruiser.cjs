// DESIGN's layering, checked on every `npm test`: features depend on the shared layers
// (policy/, crypto/, db/, common/) and never on each other's entities; policy/ knows no feature;
// only auth/ speaks jose; no cycles.
const FEATURES = 'members|identity|consent|browsing|orders|privacy|audit|biometrics|auth|limits|trusted-documents|observability';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order and ownership unclear; break it with a hook or a smaller module.',
      // TypeORM relations name each other both ways; a cycle between two entities is the ORM's, not ours.
      from: { path: '^src/', pathNot: '\\.entity\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'jose-only-in-auth',
      severity: 'error',
      comment: 'Only auth/ signs and verifies tokens (DESIGN: only auth/ imports jose).',
      from: { path: '^src/', pathNot: '^src/(auth|audit/signing)/' },
      to: { path: '^node_modules/jose/' },
    },
    {
      name: 'policy-knows-no-feature',
      severity: 'error',
      comment: 'The policy is a pure table and its guard: features register what it needs, it imports none of them.',
      from: { path: '^src/policy/' },
      to: { path: `^src/(${FEATURES})/` },
    },
    {
      name: 'shared-layers-know-no-feature',
      severity: 'error',
      comment: 'crypto/, db/ and common/ serve every feature and depend on none (db/entities.ts and migrations only list tables).',
      from: { path: '^src/(crypto|common)/' },
      to: { path: `^src/(${FEATURES})/` },
    },
    {
      name: 'no-foreign-entities',
      severity: 'error',
      comment: "A feature reads another feature's data through that feature's service or hooks, never its entities.",
      from: { path: `^src/(${FEATURES})/` },
      to: { path: `^src/(${FEATURES})/[^/]+\\.entity\\.ts$`, pathNot: '^src/$1/' },
    },
    {
      name: 'root-reads-no-entities',
      severity: 'error',
      comment: 'The composition root wires services; per-request loaders and queries belong to their features.',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: `^src/(${FEATURES})/[^/]+\\.entity\\.ts$` },
    },
    {
      name: 'not-to-dev-dependencies',
      severity: 'error',
      comment: 'Runtime code must not need a devDependency.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
