import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { generateWorld } from '@simpul/synthetic-data';
import { freePort, REPO_ROOT, startStack, type Stack } from '@simpul/testing';
import { createConsoleServer } from '../src/server';

// Issue 14, item 7: Simpul Console in a real browser (Debian's Chromium driven by playwright-core)
// against the whole stack: realm sign-in (authorization code + PKCE), the counter's unified
// profile, filing a BUSINESS_START followed live to SELESAI, a partial profile with the tax
// subgraph stopped, an expired session coming back to the same screen, and the citizen reading the
// officer's access in their log. Every main screen is checked with axe-core (WCAG 2 A/AA).

const WORLD = { citizens: 60, seed: 20171006 };
/** The realm's demo citizen `warga`, one of the world's citizens. */
const WARGA = '1408030507760001';
const wargaRecord = generateWorld(WORLD).citizens.find((c) => c.nik === WARGA)!;
/** Well-formed, in a listed region, but not registered: only the server can refuse it. */
const UNREGISTERED = `${WARGA.slice(0, 12)}9999`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** SCREENSHOT_DIR=docs/console refreshes the README's screenshots; otherwise they go to a temp dir. */
const screenshotDir = process.env.SCREENSHOT_DIR ? join(REPO_ROOT, process.env.SCREENSHOT_DIR) : undefined;

let stack: Stack;
let server: Server;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'simpul-console-'));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // The realm as a deployment registers its console: mpp-console also redirects to this origin.
  const realm = JSON.parse(await readFile(join(REPO_ROOT, 'infra', 'keycloak', 'simpul-realm.json'), 'utf8')) as { clients: { clientId: string; redirectUris: string[] }[] };
  realm.clients.find((c) => c.clientId === 'mpp-console')!.redirectUris.push(`${origin}/console/*`);
  const realmPath = join(scratch, 'realm.json');
  await writeFile(realmPath, JSON.stringify(realm));

  stack = await startStack({ ...WORLD, logLevel: 'warn', identityEnv: { REALM_PATH: realmPath } });
  server = createConsoleServer({
    HOST: '127.0.0.1',
    PORT: port,
    GATEWAY_URL: new URL(stack.gatewayUrl).origin,
    OIDC_ISSUER_URL: stack.identity!.issuer,
    OIDC_CLIENT_ID: 'mpp-console',
    // The build's web app (this spec runs the server from src/).
    WEB_DIR: join(__dirname, '..', 'dist', 'web'),
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  // bypassCSP: axe-core is injected as an inline script, which the console's CSP refuses.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID', bypassCSP: true });
  page = await context.newPage();
  if (screenshotDir) await mkdir(screenshotDir, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await stack?.stop();
  await rm(scratch, { recursive: true, force: true });
}, 60_000);

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir ?? scratch, `${name}.png`), fullPage: true });
}

/** WCAG 2 A and AA violations axe-core finds on the page as it is. */
async function accessibilityViolations(): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

async function signIn(username: string): Promise<void> {
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.getByLabel('Nama pengguna · Username').fill(username);
  await page.getByLabel('Kata sandi · Password').fill('demo');
  await page.getByRole('button', { name: 'Masuk · Sign in' }).click();
  await page.waitForURL((url) => url.origin === origin && !url.pathname.endsWith('/callback'));
}

const section = (service: string) => page.locator(`section[data-service="${service}"]`);
const SECTIONS = ['dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs', 'applications'];

describe('Simpul Console in Chromium', () => {
  let applicationPath: string;

  it('signs petugas in with the realm and comes back to the screen asked for', async () => {
    await page.goto(`${origin}/console/loket`);
    await page.getByRole('button', { name: 'Masuk', exact: true }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot('sign-in');
    await signIn('petugas');
    expect(new URL(page.url()).pathname).toBe('/console/loket');
    await expect(page.getByText('Masuk sebagai').textContent()).resolves.toContain('petugas');
  }, 60_000);

  it('asks for a purpose first, validates the NIK as it is typed, and shows the unified profile in sections', async () => {
    await expect(page.getByRole('searchbox').count()).resolves.toBe(0);
    await page.getByRole('heading', { name: '1. Tujuan akses data' }).waitFor();
    await page.getByRole('combobox', { name: 'Dasar hukum' }).selectOption('PUBLIC_SERVICE_DELIVERY');
    await page.getByRole('button', { name: 'Gunakan tujuan ini' }).click();

    const nik = page.getByLabel('NIK', { exact: true });
    await nik.fill('14080a');
    await page.getByText('NIK hanya boleh berisi angka.').waitFor();
    await nik.fill('0008030507760001');
    await page.getByText('Dua angka pertama NIK bukan kode provinsi Kemendagri.').waitFor();
    await expect(page.getByRole('button', { name: 'Cari' }).isDisabled()).resolves.toBe(true);

    await nik.fill(WARGA);
    await page.getByRole('button', { name: 'Cari' }).click();
    for (const service of SECTIONS) await section(service).waitFor();
    for (const service of SECTIONS) await expect(section(service).getAttribute('data-state')).resolves.toBe('ok');
    await expect(section('dukcapil').textContent()).resolves.toContain(wargaRecord.fullName);
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot('counter-profile');
  }, 60_000);

  it('navigates the family: a member opens in the same view', async () => {
    const members = section('dukcapil').locator('ul.items button.link');
    const count = await members.count();
    expect(count).toBeGreaterThan(0);
    const name = (await members.first().textContent())!;
    await members.first().click();
    await page.locator('section[data-service="dukcapil"] dd', { hasText: name }).first().waitFor();
    expect(new URL(page.url()).searchParams.get('nik')).not.toBe(WARGA);
    await page.locator('section[data-service="dukcapil"] ul.items button.link', { hasText: wargaRecord.fullName }).click();
    await page.locator('section[data-service="dukcapil"] dd', { hasText: wargaRecord.fullName }).first().waitFor();
  }, 60_000);

  it('files a BUSINESS_START: the server refuses an unregistered applicant next to the field, keeps what was typed, and the application reaches SELESAI live', async () => {
    await page.getByRole('button', { name: 'Ajukan permohonan untuk warga ini' }).click();
    await page.getByLabel('Jenis layanan').selectOption('BUSINESS_START');
    await page.getByLabel('Nama usaha').fill('Warung Kopi Siak');
    await page.getByLabel('Kode KBLI 2020').fill('563');
    await page.getByText('KBLI adalah 5 angka (KBLI 2020).').waitFor();
    await page.getByLabel('Kode KBLI 2020').fill('56303');
    await page.getByLabel('Alamat usaha').fill('Jl. Sultan Syarif Kasim No. 12, Siak');
    await page.getByLabel('NIK pemohon').fill(UNREGISTERED);
    await page.getByRole('button', { name: 'Ajukan', exact: true }).click();
    await page.getByText('NIK ini tidak terdaftar di Dukcapil.').waitFor();
    // Nothing typed is lost.
    await expect(page.getByLabel('Nama usaha').inputValue()).resolves.toBe('Warung Kopi Siak');
    await expect(page.getByLabel('Alamat usaha').inputValue()).resolves.toBe('Jl. Sultan Syarif Kasim No. 12, Siak');
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot('file-application-error');

    await page.getByLabel('NIK pemohon').fill(WARGA);
    await page.getByRole('button', { name: 'Ajukan', exact: true }).click();
    await page.waitForURL(/\/console\/permohonan\/[0-9a-f-]{36}$/);
    applicationPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: 'Rencana tugas' }).waitFor();
    await page.getByTestId('application-status').filter({ hasText: 'SELESAI' }).waitFor({ timeout: 150_000 });
    const documents = await page.locator('section', { has: page.getByRole('heading', { name: 'Dokumen terbit' }) }).textContent();
    for (const kind of ['NIB', 'NPWP', 'BUSINESS_ACCOUNT', 'PLN_CUSTOMER_ID']) expect(documents).toContain(kind);
    await expect(page.locator('ol.timeline li').count()).resolves.toBeGreaterThan(4);
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot('application-done');
  }, 200_000);

  it('an expired session signs in again and returns to the same screen', async () => {
    // The stored tokens stop working (as after the realm's lifespans): the gateway refuses the
    // access token, the refresh is refused, and the realm's session brings the officer back.
    await page.evaluate(() => {
      for (const key of Object.keys(sessionStorage)) {
        if (!key.startsWith('oidc.user:')) continue;
        const user = JSON.parse(sessionStorage.getItem(key)!) as Record<string, unknown>;
        sessionStorage.setItem(key, JSON.stringify({ ...user, access_token: 'expired.expired.expired', refresh_token: 'revoked' }));
      }
    });
    await page.reload();
    await page.getByTestId('application-status').filter({ hasText: 'SELESAI' }).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe(applicationPath);
  }, 60_000);

  it('shows a partial profile when the tax subgraph is down: only its section fails', async () => {
    await stack.subgraphs.tax.stop();
    try {
      await page.goto(`${origin}/console/loket?tujuan=legal-basis%3APUBLIC_SERVICE_DELIVERY&nik=${WARGA}`);
      await section('tax').getByText('Data pajak sedang tidak tersedia.').waitFor({ timeout: 30_000 });
      await expect(section('tax').getAttribute('data-state')).resolves.toBe('unavailable');
      for (const service of SECTIONS.filter((s) => s !== 'tax')) await expect(section(service).getAttribute('data-state')).resolves.toBe('ok');
      // The new business is in the profile now.
      await expect(section('licensing').textContent()).resolves.toContain('Warung Kopi Siak');
      await screenshot('counter-partial-profile');
    } finally {
      await stack.subgraphs.tax.start();
    }
  }, 90_000);

  it('signs out, signs warga in, and shows who accessed their data in plain words (English on request)', async () => {
    await page.getByRole('button', { name: 'Keluar', exact: true }).click();
    await page.getByRole('button', { name: 'Keluar · Sign out' }).click();
    await page.waitForURL(`${origin}/console/`);
    await page.goto(`${origin}/console/warga`);
    await signIn('warga');
    expect(new URL(page.url()).pathname).toBe('/console/warga');
    await page.getByRole('heading', { name: 'Siapa yang mengakses data saya' }).waitFor();
    const log = page.locator('ul.access-log');
    await log.waitFor();
    const text = (await log.textContent())!;
    expect(text).toContain('petugas melalui aplikasi mpp-console melihat');
    expect(text).toContain('untuk Penyelenggaraan pelayanan publik');
    expect(text).toContain('Dinas Kependudukan dan Pencatatan Sipil (Dukcapil)');
    await expect(page.locator('section', { has: page.getByRole('heading', { name: 'Permohonan saya' }) }).textContent()).resolves.toContain('BUSINESS_START');
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot('citizen-access-log');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Who accessed my data' }).waitFor();
    await expect(log.textContent()).resolves.toContain('an officer through the app mpp-console viewed');
    // A tablet at the counter: the same screen, nothing cut off.
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot('citizen-access-log-tablet-en');
  }, 90_000);
});
