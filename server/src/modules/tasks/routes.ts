/** Task routes, HTTP only: list, stats, one task, cancel, retry, delete, and the tasks stream. */
import type { FastifyInstance } from 'fastify';
import { defineRoute, defineStreamRoute } from '../../platform/contract';
import { AppError } from '../../platform/errors';
import type { SseHub } from '../../platform/sse/hub';
import type { TaskService } from '../../platform/tasks/service';

export function registerTaskRoutes(app: FastifyInstance, deps: { tasks: TaskService; hub: SseHub }): void {
  const { tasks, hub } = deps;

  defineRoute(app, 'listTasks', (request) => {
    const { kind, state, page = 1, pageSize = 100 } = request.query;
    return tasks.list({ ...(kind ? { kind } : {}), ...(state ? { state } : {}) }, page, pageSize);
  });

  defineRoute(app, 'getTaskStats', () => tasks.stats());

  defineRoute(app, 'getTask', (request) => {
    const task = tasks.get(request.params.id);
    if (!task) throw new AppError('TASK_NOT_FOUND', [{ field: 'params.id', message: `no task ${request.params.id}` }]);
    return task;
  });

  defineRoute(app, 'cancelTask', (request) => tasks.cancel(request.params.id));

  defineRoute(app, 'retryTask', (request) => tasks.retry(request.params.id));

  defineRoute(app, 'deleteTask', (request) => {
    tasks.delete(request.params.id);
    return { deleted: request.params.id };
  });

  defineStreamRoute(app, 'streamTasks', (request, reply) => hub.connect(request, reply, { topic: 'tasks' }));
}
