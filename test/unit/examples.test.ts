import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse, validate, type DefinitionNode, type FragmentDefinitionNode } from 'graphql';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const MANIFEST_PATH = 'examples/persisted-documents.json';

const root = join(__dirname, '..', '..');
const schema = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));
const exampleFiles = ['storefront', 'mobile'].flatMap((app) =>
  readdirSync(join(root, 'examples', app))
    .filter((name) => name.endsWith('.graphql'))
    .map((name) => join('examples', app, name)),
);
const definitions: DefinitionNode[] = exampleFiles.flatMap((file) => parse(readFileSync(join(root, file), 'utf8')).definitions);
const fragments = definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION);
const operations = definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
const manifest = JSON.parse(readFileSync(join(root, MANIFEST_PATH), 'utf8')) as Record<string, string>;

/** Whether the operation spreads the fragment, directly or through other example fragments. */
function usesFragment(node: DefinitionNode, name: string, seen = new Set<string>()): boolean {
  const spreads = [...JSON.stringify(node).matchAll(/"kind":"FragmentSpread","name":\{"kind":"Name","value":"(\w+)"/g)].map((match) => match[1]!);
  return spreads.some((spread) => {
    if (spread === name) return true;
    if (seen.has(spread)) return false;
    seen.add(spread);
    const fragment = fragments.find((candidate) => candidate.name.value === spread);
    return fragment !== undefined && usesFragment(fragment, name, seen);
  });
}

describe('example operations (examples/storefront, examples/mobile)', () => {
  it('cover the storefront and mobile flows the clients issue lists', () => {
    const names = operations.map((operation) => operation.name?.value);
    expect(names).toEqual(
      expect.arrayContaining([
        'SignUp',
        'SignInWithName',
        'SignInWithPhone',
        'RefreshSession',
        'SignOut',
        'AccountPage',
        'OrdersPage',
        'OrderDetail',
        'PlaceOrder',
        'BrowsingHistory',
        'RecordBrowsing',
        'ClearBrowsingHistory',
        'HideOrders',
        'Consents',
        'GrantConsent',
        'WithdrawConsent',
        'PrivacyPolicy',
        'AcceptPrivacyPolicy',
        'SubmitRealName',
        'RealNameStatus',
        'StepUp',
        'ExportMyData',
        'MyPrivacyRequests',
        'RequestPrivacy',
        'CancelAccount',
        'EnrollBiometric',
        'SignInWithBiometric',
        'Devices',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(operations.map((operation) => [operation.name!.value, operation] as const))('%s is named and valid against schema.graphql', (_name, operation) => {
    const used = fragments.filter((fragment) => usesFragment(operation, fragment.name.value));
    const errors = validate(schema, { kind: Kind.DOCUMENT, definitions: [operation, ...used] });
    expect(errors.map((error) => error.message)).toEqual([]);
  });

  it('puts every operation in the manifest, keyed by sha256 of the exact text the gateway runs', () => {
    const inManifest = Object.values(manifest).flatMap((text) =>
      parse(text).definitions.flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION ? [definition.name!.value] : [])),
    );
    expect(inManifest.sort()).toEqual(operations.map((operation) => operation.name!.value).sort());
    for (const [id, text] of Object.entries(manifest)) {
      expect(id).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
      expect(validate(schema, parse(text))).toEqual([]);
    }
  });
});

describe('the example client and persisted-documents.json', () => {
  it('match what `npm run examples` generates from the operations and schema.graphql (run it after changing either)', async () => {
    // In a child process (jiti runs the TypeScript): the codegen CLI loads ESM-only packages Jest cannot.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(root, 'node_modules', 'jiti', 'lib', 'jiti-cli.mjs'), join(root, 'scripts', 'examples.ts'), '--print'],
      {
        cwd: root,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const generated = new Map(Object.entries(JSON.parse(stdout) as Record<string, string>));
    expect([...generated.keys()].sort()).toEqual(['examples/client/gql.ts', 'examples/client/graphql.ts', 'examples/client/index.ts', MANIFEST_PATH]);
    for (const [path, content] of generated) expect({ path, content }).toEqual({ path, content: readFileSync(join(root, path), 'utf8') });
  });

  it('embeds in each generated document the manifest id a client sends', () => {
    const client = readFileSync(join(root, 'examples/client/graphql.ts'), 'utf8');
    const embedded = [...client.matchAll(/"__meta__":\{"hash":"(sha256:[0-9a-f]{64})"\}/g)].map((match) => match[1]);
    expect(embedded.sort()).toEqual(Object.keys(manifest).sort());
  });
});
