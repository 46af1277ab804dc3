/**
 * Runs the packaged extension in a real VS Code workbench: code-server 4.100.3 (VS Code 1.100.3's server and
 * workbench) driven by headless Chromium through playwright-core. Follows ../shared/TESTING.md §4.
 *
 * One `Workbench` = one code-server process with its own RUN folder (user data, extensions, XDG folders and TMPDIR
 * all inside it) on a free 127.0.0.1 port, plus one Chromium profile. `stop()` kills code-server's whole process
 * group and removes RUN, so nothing is left running or written outside it, even when a test fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, '.test-artifacts', 'workbench');
const CODE_SERVER = join(ROOT, '.tools', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The extension's id as VS Code lists it: `publisher.name`. */
export const EXTENSION_ID = (() => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string };
  return `${pkg.publisher}.${pkg.name}`;
})();

/** Quiet workbench: no welcome page, tips, update checks, telemetry or experiments. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

/** Flags from ../shared/TESTING.md §3: no GPU, no network side traffic, no first-run UI. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Milliseconds since `t0`, rounded. */
export const since = (t0: number): number => Math.round(performance.now() - t0);

/** A free TCP port on 127.0.0.1 (asks the OS for one, then releases it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Packages the built extension with `vsce package --no-dependencies` (the bundles in dist/ hold the dependencies).
 * @returns the path of the `.vsix` inside `outDir` and its size in bytes.
 * @throws when dist/ is missing (run `node scripts/build.mjs`) or vsce fails (its output is in the message).
 */
export function packageExtension(outDir: string): { vsix: string; bytes: number } {
  if (!existsSync(join(ROOT, 'dist', 'client', 'extension.js'))) {
    throw new Error('dist/client/extension.js is missing: build first with `node scripts/build.mjs`');
  }
  mkdirSync(outDir, { recursive: true });
  const vsix = join(outDir, 'xai-pipelines.vsix');
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', vsix], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
  });
  if (r.status !== 0 || !existsSync(vsix)) {
    throw new Error(`vsce package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { vsix, bytes: statSync(vsix).size };
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface WorkbenchOptions {
  /** The .vsix to install into the fresh extensions folder. */
  vsix: string;
  /** A name for the artifacts folder of this run (screenshots, logs). */
  name: string;
  /** Extra user settings (e.g. `xaiPipelines.runOnSave`). */
  settings?: Record<string, unknown>;
  /** Workspace Trust on (the folder opens in Restricted Mode unless trusted); default off, as in TESTING.md. */
  workspaceTrust?: boolean;
}

/** A running code-server with the extension installed, and a Chromium page on it. */
export class Workbench {
  readonly run: string;
  readonly artifacts: string;
  port = 0;
  private server?: ChildProcess;
  private serverLog = '';
  context?: BrowserContext;
  page!: Page;

  private constructor(readonly options: WorkbenchOptions) {
    this.run = mkdtempSync(join(tmpdir(), 'xai-wb-'));
    this.artifacts = join(ARTIFACTS, options.name);
    rmSync(this.artifacts, { recursive: true, force: true });
    mkdirSync(this.artifacts, { recursive: true });
  }

  /** RUN-local environment: code-server and its extension host write nothing to $HOME or the real /tmp. */
  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [k, dir] of [['XDG_CONFIG_HOME', 'config'], ['XDG_DATA_HOME', 'data'], ['XDG_CACHE_HOME', 'cache'], ['TMPDIR', 'tmp']] as const) {
      env[k] = join(this.run, dir);
      mkdirSync(env[k]!, { recursive: true });
    }
    // vitest's and npm's variables must not leak into the extension host (NODE_OPTIONS could load vitest hooks).
    delete env.NODE_OPTIONS;
    delete env.VITEST;
    delete env.VITEST_WORKER_ID;
    delete env.VITEST_POOL_ID;
    delete env.TEST;
    env.NODE_ENV = 'production';
    return env;
  }

  private codeServerArgs(): string[] {
    return [
      CODE_SERVER, '--config', join(this.run, 'config.yaml'), '--auth', 'none', '--disable-telemetry',
      '--disable-update-check', ...(this.options.workspaceTrust ? [] : ['--disable-workspace-trust']), '--user-data-dir', join(this.run, 'ud'),
      '--extensions-dir', join(this.run, 'ext'),
    ];
  }

  /**
   * Installs the extension, starts code-server and waits for `/healthz`, then launches Chromium.
   * @throws when code-server is not installed (`bash scripts/setup-code-server.sh`), the install fails, or the
   *   server does not answer within 60 s; the server's output is in the message.
   */
  static async start(options: WorkbenchOptions): Promise<Workbench> {
    if (!existsSync(CODE_SERVER)) throw new Error(`code-server is missing at ${CODE_SERVER}: run \`bash scripts/setup-code-server.sh\``);
    const wb = new Workbench(options);
    try {
      await wb.startServer();
      await wb.launchBrowser();
    } catch (e) {
      await wb.stop();
      throw e;
    }
    return wb;
  }

  /** Extensions code-server lists in RUN/ext (`publisher.name@version`). */
  listExtensions(): string[] {
    const r = spawnSync(process.execPath, [...this.codeServerArgs(), '--list-extensions', '--show-versions'], {
      env: this.env(), encoding: 'utf8', timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`code-server --list-extensions failed: ${r.stderr}`);
    return r.stdout.split('\n').map((l) => l.trim()).filter((l) => /^[\w-]+\.[\w-]+@/.test(l));
  }

  private async startServer(): Promise<void> {
    const ud = join(this.run, 'ud');
    mkdirSync(join(ud, 'User'), { recursive: true });
    mkdirSync(join(this.run, 'ext'), { recursive: true });
    const settings: Record<string, unknown> = { ...USER_SETTINGS, ...this.options.settings };
    if (this.options.workspaceTrust) {
      delete settings['security.workspace.trust.enabled'];
      settings['security.workspace.trust.startupPrompt'] = 'always';
    }
    writeFileSync(join(ud, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    writeFileSync(join(this.run, 'config.yaml'), 'auth: none\ncert: false\n');

    const install = spawnSync(process.execPath, [...this.codeServerArgs(), '--install-extension', this.options.vsix], {
      env: this.env(), encoding: 'utf8', timeout: 120_000,
    });
    if (install.status !== 0) throw new Error(`installing ${this.options.vsix} failed:\n${install.stdout}\n${install.stderr}`);

    this.port = await freePort();
    // detached: code-server gets its own process group, so stop() can kill it with every child it started.
    this.server = spawn(process.execPath, [...this.codeServerArgs(), '--bind-addr', `127.0.0.1:${this.port}`], {
      env: this.env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    Workbench.live.add(this);
    const keep = (b: Buffer): void => { this.serverLog = (this.serverLog + b.toString()).slice(-20_000); };
    this.server.stdout?.on('data', keep);
    this.server.stderr?.on('data', keep);
    const exited = new Promise<never>((_, reject) => this.server!.once('exit', (code) => reject(new Error(`code-server exited (${code}):\n${this.serverLog}`))));
    exited.catch(() => undefined);
    await Promise.race([exited, until('code-server /healthz', 60_000, async () => {
      const res = await fetch(`http://127.0.0.1:${this.port}/healthz`);
      return res.ok;
    })]);
  }

  private async launchBrowser(): Promise<void> {
    this.context = await chromium.launchPersistentContext(join(this.run, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      // Chromium's crash reporter and caches follow HOME/XDG: keep them inside RUN too.
      env: { ...this.env(), HOME: join(this.run, 'home') },
      viewport: { width: 1600, height: 1000 },
    });
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.setDefaultTimeout(30_000);
  }

  /** Opens `folder` in the workbench and waits for the workbench to be laid out. */
  async openFolder(folder: string): Promise<void> {
    await this.page.goto(`http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(folder)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The status bar is drawn once the workbench has restored its parts; key presses before that are lost.
    await this.page.locator('#status\\.problems').waitFor({ timeout: 60_000 });
  }

  /** Quick Open (Ctrl+P): types `name`, waits for its row and opens it. */
  async openFile(name: string): Promise<void> {
    const { page } = this;
    await page.locator('.monaco-workbench').click({ position: { x: 5, y: 500 } }).catch(() => undefined);
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator(`.tab[data-resource-name="${name}"], .tab:has-text("${name}")`).first().waitFor();
  }

  /** Runs a command from the command palette (Ctrl+Shift+P) by its title, e.g. "XAI Pipelines: Train". */
  async runCommand(title: string): Promise<void> {
    const { page } = this;
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await row.click();
  }

  /**
   * The webview content frame that holds `selector` (VS Code nests each webview's page inside a host frame).
   * @throws Error after `timeoutMs` without such a frame.
   */
  async frameWith(selector: string, timeoutMs: number): Promise<Frame> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      for (const f of this.page.frames()) {
        if (await f.$(selector).catch(() => null)) return f;
      }
      if (Date.now() > end) throw new Error(`no webview frame with ${selector} after ${timeoutMs} ms`);
      await this.page.waitForTimeout(300);
    }
  }

  /** Takes a screenshot into this run's artifacts folder. */
  async screenshot(name: string): Promise<string> {
    const file = join(this.artifacts, `${name}.png`);
    await this.page.screenshot({ path: file }).catch(() => undefined);
    return file;
  }

  /** Text of every log file under RUN/ud/logs whose path matches `pattern` (e.g. the extension's output channel). */
  readLogs(pattern: RegExp): string {
    const dir = join(this.run, 'ud', 'logs');
    if (!existsSync(dir)) return '';
    const out: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (pattern.test(relative(dir, p))) out.push(readFileSync(p, 'utf8'));
      }
    };
    walk(dir);
    return out.join('\n');
  }

  /** Closes Chromium, kills code-server's process group, keeps the logs as artifacts and removes RUN. */
  async stop(): Promise<void> {
    await this.context?.close().catch(() => undefined);
    this.context = undefined;
    await this.killServer();
    const logs = join(this.run, 'ud', 'logs');
    if (existsSync(logs)) cpSync(logs, join(this.artifacts, 'logs'), { recursive: true });
    if (this.serverLog) writeFileSync(join(this.artifacts, 'code-server.log'), this.serverLog);
    rmSync(this.run, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    Workbench.live.delete(this);
  }

  private async killServer(): Promise<void> {
    const server = this.server;
    if (!server?.pid || server.exitCode !== null || server.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    killGroup(server.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(server.pid!, 'SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
    // Children that ignored SIGTERM (extension host, language server, worker) share the group.
    killGroup(server.pid, 'SIGKILL');
  }

  /** Every workbench not yet stopped; killed synchronously if the test process exits early. */
  static readonly live = new Set<Workbench>();
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

process.once('exit', () => {
  for (const wb of Workbench.live) {
    const pid = (wb as unknown as { server?: ChildProcess }).server?.pid;
    if (pid) killGroup(pid, 'SIGKILL');
  }
});

/**
 * A fresh workspace in `RUN`-independent temp space holding a copy of `examples/` with training shortened for speed
 * (`epochs` and importance `repeats` rewritten), plus any extra files given.
 * @returns the workspace folder; remove it with `rmSync(..., { recursive: true })`.
 */
export function makeWorkspace(extra: Record<string, string> = {}, epochs = 60): string {
  const ws = mkdtempSync(join(tmpdir(), 'xai-ws-'));
  cpSync(join(ROOT, 'examples'), ws, { recursive: true, filter: (src) => !src.includes('/.xai') });
  const spec = join(ws, 'stock-price', 'stock-price.xai.yaml');
  const text = readFileSync(spec, 'utf8')
    .replace(/^(\s*epochs:\s*)\d+/m, `$1${epochs}`)
    .replace(/^(\s*repeats:\s*)\d+/m, '$15');
  writeFileSync(spec, text);
  for (const [rel, content] of Object.entries(extra)) {
    mkdirSync(join(ws, rel, '..'), { recursive: true });
    writeFileSync(join(ws, rel), content);
  }
  return ws;
}

/** After a workbench test: its last screen (the first thing to look at when one fails), then stop it, then remove its workspace. */
export async function closeWorkbench(wb: Workbench | undefined, workspace: string | undefined): Promise<void> {
  await wb?.screenshot('last');
  await wb?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
}
