/**
 * buildServer(options): the embedded API as a Fastify instance, used in-process by Electron main,
 * by `npm run serve` (server/src/main.ts) and by tests through `inject`. Plugins and routes are
 * registered explicitly, in order; nothing is auto-loaded.
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
import { frameworkErrors, registerErrorPath } from './platform/errors';
import { CONTRACT_KEYWORDS } from './platform/contract';
import { lazyCompilersFactory } from './platform/lazy-compilers';
import { closeDatabase, openDatabase, type Db } from './platform/db/database';
import { createLogging, toPinoLevel, type LogRing } from './platform/logging';
import { registerSecurity, Sessions } from './platform/security';
import { registerSystemRoutes } from './modules/system/routes';
import { registerAuthRoutes } from './modules/auth/routes';
import { registerSseRoutes } from './modules/sse/routes';
import { EventBus } from './platform/bus';
import { SseHub, type HubOptions } from './platform/sse/hub';
import { SettingsRepository } from './modules/system/settings-repository';
import { MarketRepository } from './modules/market/repository';
import { KlineService } from './modules/market/kline-service';
import { registerMarketRoutes } from './modules/market/routes';
import { createOnlineMarket, type ProviderTuning } from './modules/market/online';
import { registerOnlineMarketRoutes } from './modules/market/quote-routes';
import { WatchlistRepository } from './modules/watchlist/repository';
import { registerWatchlistRoutes } from './modules/watchlist/routes';
import { INDICATORS } from './engine/indicators';
import { registerIndicatorRoutes } from './modules/indicators/routes';
import { IndicatorService } from './modules/indicators/service';
import { IndicatorSetRepository } from './modules/indicators/sets-repository';
import { SignalService } from './modules/indicators/signals';
import { registerDataRoutes } from './modules/data/routes';

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
}

export interface ServerContext {
  db: Db;
  dbFile: string;
  logs: LogRing;
  currentLogFile(): string;
  bus: EventBus;
  hub: SseHub;
  market: MarketRepository;
}

declare module 'fastify' {
  interface FastifyInstance {
    mystocks: ServerContext;
  }
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

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  mkdirSync(options.dataDir, { recursive: true });
  const dbFile = path.join(options.dataDir, 'mystocks.db');
  const db = openDatabase(dbFile, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const settings = new SettingsRepository(db);
  const logging = await createLogging(options.dataDir, settings.read().logLevel, options.logToStdout);
  const sessions = new Sessions(options.token);

  const app = Fastify({
    loggerInstance: logging.logger as FastifyBaseLogger,
    // Our onResponse hook logs one concise line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    frameworkErrors,
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
    if (message.topic !== 'logs') app.log.error({ module: 'bus', err, topic: message.topic }, 'bus listener failed');
  };
  const market = new MarketRepository(db);
  app.decorate('mystocks', { db, dbFile, logs: logging.ring, currentLogFile: logging.currentLogFile, bus, hub, market });

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

  registerAuthRoutes(app, sessions, port);
  registerSseRoutes(app, hub);
  const online = createOnlineMarket({ db, repo: market, bus, settings: () => settings.read(), fetch: options.fetch, now: options.now, log: app.log, tuning: options.providers });
  const klines = new KlineService(market, options.now, online.filler);
  registerMarketRoutes(app, { repo: market, klines });
  registerOnlineMarketRoutes(app, { hub, repo: market, online });
  registerWatchlistRoutes(app, new WatchlistRepository(db));
  registerIndicatorRoutes(app, {
    indicators: new IndicatorService(INDICATORS, klines),
    sets: new IndicatorSetRepository(db),
    signals: new SignalService(klines, market),
  });
  registerDataRoutes(app, { db, dbFile, dataDir: options.dataDir, market, hub, nativeBinding: options.nativeBinding, importRoots: options.importRoots, sampleDataDir: options.sampleDataDir });
  registerSystemRoutes(app, {
    health: { db, dbFile, dataDir: options.dataDir, appVersion: options.appVersion ?? pkg.version, startedAt: new Date() },
    settings,
    logs: logging.ring,
    onSettingsChanged: (s) => {
      app.log.level = toPinoLevel(s.logLevel);
    },
  });

  if (options.rendererDir) {
    if (!existsSync(path.join(options.rendererDir, 'index.html'))) {
      throw new Error(`renderer not built: ${options.rendererDir}/index.html is missing (run \`npm run build\`)`);
    }
    await app.register(fastifyStatic, { root: options.rendererDir, prefix: '/', wildcard: false, index: ['index.html'] });
    app.addHook('onSend', async (request, reply, payload) => {
      if (!request.url.startsWith('/api/')) reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      return payload;
    });
  }

  // Streams end before the HTTP server waits for open connections to finish.
  app.addHook('preClose', async () => {
    hub.close();
  });
  app.addHook('onClose', async () => {
    stopLogFeed();
    closeDatabase(db);
    await logging.close();
  });

  app.log.info({ module: 'system', dataDir: options.dataDir }, 'server ready');
  return app;
}

export interface RunningServer {
  app: FastifyInstance;
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/** Builds the server and listens on loopback only: an ephemeral port unless one is given. */
export async function startServer(options: ServerOptions & { port?: number }): Promise<RunningServer> {
  const app = await buildServer(options);
  try {
    await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return { app, port, origin: `http://127.0.0.1:${port}`, close: () => app.close() };
}
