import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig } from '../../src/config';
import { DocumentManifest, TrustedDocuments } from '../../src/trusted-documents';

const DATA_DIR = join(tmpdir(), 'gateway-config-test');
const productionKeys = () => ({
  SIGNING_KEY: JSON.stringify({ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'k1' }),
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  AUDIT_SIGNING_KEY: JSON.stringify({ ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: 'audit-1' }),
});
const idOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

function manifestFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'persisted-documents.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('TRUSTED_DOCUMENTS configuration', () => {
  it('enforces trusted documents in production and allows free-form operations elsewhere by default', () => {
    expect(loadConfig({ DATA_DIR, NODE_ENV: 'production', ...productionKeys() }).trustedDocuments.mode).toBe('enforce');
    expect(loadConfig({ DATA_DIR }).trustedDocuments.mode).toBe('allow');
    expect(loadConfig({ DATA_DIR, NODE_ENV: 'production', ...productionKeys(), TRUSTED_DOCUMENTS: 'allow' }).trustedDocuments.mode).toBe('allow');
  });

  it("reads the package's examples/persisted-documents.json unless TRUSTED_DOCUMENTS_MANIFEST names another", () => {
    const { manifestPath } = loadConfig({ DATA_DIR }).trustedDocuments;
    expect(manifestPath).toBe(resolve(__dirname, '..', '..', 'examples', 'persisted-documents.json'));
    expect(existsSync(manifestPath)).toBe(true);
    expect(loadConfig({ DATA_DIR, TRUSTED_DOCUMENTS_MANIFEST: '/srv/manifest.json' }).trustedDocuments.manifestPath).toBe('/srv/manifest.json');
  });

  it('refuses an unknown mode, naming the variable and the choices', () => {
    expect(() => loadConfig({ DATA_DIR, TRUSTED_DOCUMENTS: 'strict' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR, TRUSTED_DOCUMENTS: 'strict' })).toThrow(/^Invalid configuration: TRUSTED_DOCUMENTS must be one of .*enforce/);
  });
});

describe('the trusted-documents manifest', () => {
  const text = 'query PrivacyPolicyArchive { privacyPolicies { __typename version } }';

  it('loads entries whose id is sha256 of their exact text', () => {
    const manifest = DocumentManifest.load(manifestFile({ [idOf(text)]: text }));
    expect(manifest.get(idOf(text))).toBe(text);
    expect(manifest.get(idOf(`${text} `))).toBeUndefined();
  });

  it('stops the start on an entry whose id is not the hash of its text, or on a file that is not a JSON object', () => {
    expect(() => DocumentManifest.load(manifestFile({ [idOf(text)]: `${text}\n` }))).toThrow(/not sha256 of its text/);
    expect(() => DocumentManifest.load(manifestFile({ [idOf(text).toUpperCase()]: text }))).toThrow(/not sha256 of its text/);
    expect(() => DocumentManifest.load(manifestFile('[]'))).toThrow(/not a JSON object/);
    expect(() => DocumentManifest.load(manifestFile('{'))).toThrow(/cannot be read/);
    expect(() => DocumentManifest.load('/nonexistent/persisted-documents.json')).toThrow(/cannot be read \(ENOENT\)/);
  });

  it('loads the committed manifest', () => {
    const logger = pino({ level: 'silent' });
    const trusted = TrustedDocuments.load(loadConfig({ DATA_DIR, TRUSTED_DOCUMENTS: 'enforce' }).trustedDocuments, logger);
    const params: Record<string, unknown> = {
      documentId: Object.keys(JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'persisted-documents.json'), 'utf8')) as object)[0],
    };
    expect(trusted.resolve(params)).toEqual({ outcome: 'trusted', id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(typeof params.query).toBe('string');
    expect(params).not.toHaveProperty('documentId');
  });
});
