/**
 * buildServer(options): the embedded API, used in-process by Electron main, by `npm run serve`
 * (server/src/main.ts) and by tests through `inject`. It sets up the platform (database, logging,
 * bus, SSE hub, security, the error path) and then only composes modules in order
 * (docs/ARCHITECTURE.md, "Modules"); nothing is auto-loaded and nothing is looked up at run time.
 */
import path from 'node:path';
import { mkdirSync, existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import spec from '../../contracts/gen/openapi.json' with { type: 'json' };
import pkg from '../../package.json' with { type: 'json' };
import { clientErrorHandler, frameworkErrors, registerErrorPath } from './platform/errors';
import { CONTRACT_KEYWORDS } from './platform/contract';
import { lazyCompilersFactory } from './platform/lazy-compilers';
import { closeDatabase, openDatabase, type Db } from './platform/db/database';
import { createLogging, toPinoLevel, type LogRing } from './platform/logging';
import { isApiRequest, registerSecurity, Sessions } from './platform/security';
import { EventBus } from './platform/bus';
import { SseHub, type HubOptions } from './platform/sse/hub';
import { TaskService, type TaskServiceOptions } from './platform/tasks/service';
import type { Module } from './platform/module';
import type { ProviderTuning } from './modules/market/online';
import { createAuthModule } from './modules/auth';
import { createSseModule } from './modules/sse';
import { createSystemModule } from './modules/system';
import { createMarketModule, type MarketServices } from './modules/market';
import { createWatchlistModule } from './modules/watchlist';
import { createIndicatorsModule, type IndicatorServices } from './modules/indicators';
import { createDataModule } from './modules/data';
import { createTasksModule } from './modules/tasks';
import { createBacktestModule, type BacktestServices } from './modules/backtest';
import { createOptimizeModule, type OptimizeServices } from './modules/optimize';
import { createReplayModule, type ReplayServices } from './modules/replay';
import { createTradingModule, type TradingServices } from './modules/trading';
import { createAlertsModule, type AlertServices } from './modules/alerts';
import { createRiskModule, type RiskServices } from './modules/risk';
import type { AlertRetention } from './modules/alerts/repository';
import type { SettingsRepository } from './modules/system/settings-repository';
import type { WatchlistRepository } from './modules/watchlist/repository';

export interface ServerOptions {
  /** Where the SQLite cache, logs and settings live. Created if missing. */
  dataDir: string;
  /** Per-launch API token (≥ 16 characters). */
  token: string;
  /** Built renderer to serve at `/` (omit for an API-only server, as in most tests). */
  rendererDir?: string;
  /** better-sqlite3 binary built for Electron's ABI (see README). */
  nativeBinding?: string;
  appVersion?: string;
  /** Also print warnings and errors on stdout (headless mode). */
  logToStdout?: boolean;
  /** SSE hub limits (connection cap, heartbeat, buffers); defaults suit the desktop app. */
  sse?: Partial<HubOptions>;
  /** Bundled sample data (resources/sample-data), imported on first launch when given. */
  sampleDataDir?: string;
  /** Folders the user may import from; default: the home directory. The data and sample folders are always allowed. */
  importRoots?: string[];
  /** HTTP for the online data providers (tests pass a double; defaults to the global fetch). */
  fetch?: typeof fetch;
  /** The clock (Unix ms) for trading hours and staleness; tests inject one. */
  now?: () => number;
  /** Provider retries, breaker and deadlines (tests make them fast). */
  providers?: ProviderTuning;
  /** The task pool: keep a warm thread per lane (default true), read-lane threads, retention. */
  tasks?: Pick<TaskServiceOptions, 'warm' | 'readThreads' | 'retention' | 'stopGraceMs'>;
  /** How long alerts are kept (default 90 days, the newest 10,000). */
  alertRetention?: AlertRetention;
  /** How often risk rules on paper accounts are evaluated (ms; default 5 s; 0: only after fills and rule changes). */
  riskIntervalMs?: number;
}

/**
 * The platform and every module's services, as composed: what the caller of buildServer (main.ts,
 * tests) may reach. Nothing inside the server reads it; modules get their dependencies passed in.
 */
export interface ServerContext extends MarketServices, IndicatorServices, BacktestServices, OptimizeServices, ReplayServices, AlertServices, TradingServices, RiskServices {
  db: Db;
  dbFile: string;
  logs: LogRing;
  currentLogFile(): string;
  bus: EventBus;
  hub: SseHub;
  settings: SettingsRepository;
  watchlists: WatchlistRepository;
  /** The task platform (imports and backtests). */
  tasks: TaskService;
}

export interface BuiltServer {
  app: FastifyInstance;
  context: ServerContext;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Element Plus and ECharts set inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export async function buildServer(options: ServerOptions): Promise<BuiltServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const dbFile = path.join(options.dataDir, 'mystocks.db');
  const db = openDatabase(dbFile, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  // The level the settings ask for is applied by the system module, before anything is logged.
  const logging = await createLogging(options.dataDir, 'INFO', options.logToStdout);
  const log = logging.logger as FastifyBaseLogger;
  const sessions = new Sessions(options.token);

  const app = Fastify({
    loggerInstance: log,
    // Our onResponse hook logs one concise line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // Closing happens at quit, after the streams and tasks have stopped: every connection left
    // (kept-alive sockets, one a client opened and never used) is cut rather than waited for.
    forceCloseConnections: true,
    frameworkErrors,
    clientErrorHandler,
    // A request without Host reaches the security hook (403/6002) instead of Node's bare 400.
    http: { requireHostHeader: false },
    schemaController: { compilersFactory: lazyCompilersFactory() as never },
    ajv: {
      // Unknown fields are rejected (422), never silently dropped; defaults come from the contract.
      customOptions: {
        removeAdditional: false,
        useDefaults: true,
        coerceTypes: 'array',
        allErrors: true,
        keywords: [...CONTRACT_KEYWORDS],
      },
    },
  });
  const bus = new EventBus();
  const hub = new SseHub(bus, options.sse);
  // Every log entry also goes out on the logs topic (the live log stream).
  const stopLogFeed = logging.ring.subscribe((entry) => bus.publish('logs', 'log', entry));
  bus.onListenerError = (err, message) => {
    // Logged without going back through the bus for this topic, so a broken listener cannot loop.
    if (message.topic !== 'logs') log.error({ module: 'bus', err, topic: message.topic }, 'bus listener failed');
  };

  // Known once listening (inject() in tests never listens: Host is then localhost:80). Cached
  // because the security hook needs it on every request and address() is a system call.
  let listeningPort = 80;
  app.server.on('listening', () => {
    const address = app.server.address();
    if (address && typeof address === 'object') listeningPort = address.port;
  });
  const port = (): number => listeningPort;

  // Contracts first: an /api route that did not come from defineRoute() cannot be registered.
  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    if (url.startsWith('/api/') && !url.startsWith('/api/docs') && !route.config?.operationId) {
      throw new Error(`route ${String(route.method)} ${url} has no contract operation; declare it in contracts/ and use defineRoute()`);
    }
  });

  await app.register(fastifyCookie);
  registerSecurity(app, { token: options.token, port }, sessions);
  registerErrorPath(app, options.rendererDir);

  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      { module: 'http', method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  await app.register(fastifySwagger, { mode: 'static', specification: { document: spec as never } });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // The modules, in dependency order: each gets the platform and earlier modules' services.
  const system = createSystemModule({
    db,
    dbFile,
    dataDir: options.dataDir,
    appVersion: options.appVersion ?? pkg.version,
    logs: logging.ring,
    applySettings: (s) => {
      log.level = toPinoLevel(s.logLevel);
    },
  });
  const { settings } = system.services;
  const market = createMarketModule({ db, bus, hub, settings: () => settings.read(), fetch: options.fetch, now: options.now, log, tuning: options.providers });
  const watchlist = createWatchlistModule({ db });
  const indicators = createIndicatorsModule({ db, klines: market.services.klines, market: market.services.market });
  // Long work (docs/ARCHITECTURE.md, "The long-work path"): modules register their task kinds on it.
  const tasks = new TaskService({ db, dbFile, nativeBinding: options.nativeBinding, bus, log, now: options.now, ...options.tasks });
  const data = createDataModule({
    db,
    dataDir: options.dataDir,
    log,
    market: market.services.market,
    tasks,
    importRoots: options.importRoots,
    sampleDataDir: options.sampleDataDir,
  });
  const backtest = createBacktestModule({ db, bus, hub, tasks, market: market.services.market, log, now: options.now });
  const optimize = createOptimizeModule({ db, bus, hub, tasks, market: market.services.market, settings: () => settings.read(), log, now: options.now });
  const replay = createReplayModule({ bus, klines: market.services.klines, market: market.services.market });
  const trading = createTradingModule({
    db,
    bus,
    hub,
    market: market.services.market,
    now: options.now,
    watchQuotes: (symbols) => market.services.online.poller.watch(symbols),
    // The risk module's pre-trade rules, created below (trading does not import risk): a function, bound late.
    preTradeCheck: (accountId, order, state) => risk.services.riskRules.preTradeCheck(accountId, order, state),
  });
  // Alerts: the risk rules raise through context.alerts; Electron main's notifier subscribes to the bus.
  const alerts = createAlertsModule({ db, bus, hub, settings: () => settings.read(), log, now: options.now, ...(options.alertRetention ? { retention: options.alertRetention } : {}) });
  // Risk rules: after trading (a quote fills paper orders before the rules see it) and alerts (they raise there).
  const risk = createRiskModule({
    db,
    bus,
    alerts: alerts.services.alerts,
    trading: trading.services.trading,
    klines: market.services.klines,
    profiles: market.services.online.profiles,
    watchlists: watchlist.services.watchlists,
    language: () => settings.read().language,
    // indicator-cross rules extend replayed bars with cached history of the same adjustment.
    replayAdjust: () => replay.services.replay.adjust(),
    log,
    now: options.now,
    intervalMs: options.riskIntervalMs,
  });
  // Tasks last: started after the kinds are registered, closed first (running work stops before the rest).
  const modules: Module[] = [createAuthModule({ sessions, port }), createSseModule({ hub }), system, market, watchlist, indicators, data, backtest, optimize, replay, trading, alerts, risk, createTasksModule({ tasks, hub })];
  for (const module of modules) module.routes(app);

  if (options.rendererDir) {
    if (!existsSync(path.join(options.rendererDir, 'index.html'))) {
      throw new Error(`renderer not built: ${options.rendererDir}/index.html is missing (run \`npm run build\`)`);
    }
    await app.register(fastifyStatic, { root: options.rendererDir, prefix: '/', wildcard: false, index: ['index.html'] });
    app.addHook('onSend', async (request, reply, payload) => {
      if (!isApiRequest(request)) reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      return payload;
    });
  }

  app.addHook('onReady', async () => {
    for (const module of modules) module.start?.();
  });
  // Background work stops, then streams end, before the HTTP server waits for open connections.
  app.addHook('preClose', async () => {
    for (const module of [...modules].reverse()) await module.close?.();
    hub.close();
  });
  app.addHook('onClose', async () => {
    stopLogFeed();
    closeDatabase(db);
    await logging.close();
  });

  log.info({ module: 'system', dataDir: options.dataDir }, 'server ready');
  const context: ServerContext = {
    db,
    dbFile,
    logs: logging.ring,
    currentLogFile: logging.currentLogFile,
    bus,
    hub,
    settings,
    ...market.services,
    watchlists: watchlist.services.watchlists,
    ...indicators.services,
    tasks,
    ...backtest.services,
    ...optimize.services,
    ...replay.services,
    ...alerts.services,
    ...trading.services,
    ...risk.services,
  };
  return { app, context };
}

export interface RunningServer extends BuiltServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/** Builds the server and listens on loopback only: an ephemeral port unless one is given. */
export async function startServer(options: ServerOptions & { port?: number }): Promise<RunningServer> {
  const { app, context } = await buildServer(options);
  try {
    await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return { app, context, port, origin: `http://127.0.0.1:${port}`, close: () => app.close() };
}
