/**
 * The tasks module: the REST and stream operations of contracts/tasks.yaml over the task platform
 * (platform/tasks). The service itself is platform (modules register their kinds on it); this
 * module starts its warm threads once the server is ready and stops it first on close.
 */
import type { Module } from '../../platform/module';
import type { SseHub } from '../../platform/sse/hub';
import type { TaskService } from '../../platform/tasks/service';
import { registerTaskRoutes } from './routes';

export function createTasksModule(deps: { tasks: TaskService; hub: SseHub }): Module {
  return {
    services: {},
    routes: (app) => registerTaskRoutes(app, deps),
    start: () => deps.tasks.start(),
    close: () => deps.tasks.close(),
  };
}
