/**
 * The module convention (docs/ARCHITECTURE.md, "Modules"). Each folder of server/src/modules
 * exports `createXModule(deps)`: it builds its repositories and services from what it is given
 * (the platform and earlier modules' services — never a global or an app decoration) and returns
 * them with a route registrar and, when it has background work, start/close hooks. buildServer
 * only composes modules in order.
 */
import type { FastifyInstance } from 'fastify';

export interface Module<Services extends object = object> {
  /** What later modules (and tests) may use. */
  services: Services;
  /** Registers the module's contract operations (defineRoute / defineStreamRoute), HTTP only. */
  routes(app: FastifyInstance): void;
  /** Background work that starts once the server is ready (never awaited by requests). */
  start?(): void;
  /** Stops background work; called in reverse order before streams end and the database closes. */
  close?(): void | Promise<void>;
}
