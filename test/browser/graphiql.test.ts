import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { useGateway } from '../support/use-gateway';

// Debian's chromium, with the flags this machine's closed network needs (no background calls home).
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OUTPUT = join(__dirname, '..', '..', 'test-output');

describe('GraphiQL in a browser', () => {
  const { t, idp } = useGateway({ staff: true });
  let browser: Browser;

  beforeAll(async () => {
    const officer = await idp.sign({ roles: ['PRIVACY_OFFICER'] }, { subject: 'dpo-1' });
    const input = { version: '2026.11', material: false, summary: 'First version', text: 'The full text.' };
    await t.client.request(`mutation($input: PrivacyPolicyInput!) { publishPrivacyPolicy(input: $input) { version } }`, { input }, { token: officer });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('runs a query typed into the editor with every asset served by the gateway', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const channels: string[] = [];
    // Any request for another host is a CDN the page would need: abort it and fail below.
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname !== '127.0.0.1') {
        elsewhere.push(url.host);
        return route.abort();
      }
      if (url.pathname === '/graphql' && route.request().method() === 'POST') channels.push(route.request().headers()['x-client-channel'] ?? '');
      return route.continue();
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${t.origin.replace('localhost', '127.0.0.1')}/graphql`);
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: 15000 });

    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('{ privacyPolicies { version } }');
    await page.locator('.graphiql-execute-button').click();

    const response = page.locator('.graphiql-response .monaco-editor .view-lines');
    await response.filter({ hasText: '"privacyPolicies"' }).waitFor({ timeout: 15000 });
    expect(await response.textContent()).toContain('"2026.11"');

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'graphiql.png') });
    expect(elsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(channels.length).toBeGreaterThan(0);
    expect(new Set(channels)).toEqual(new Set(['graphiql']));
  });
});
