/** Thin typed calls for the task platform (contracts/tasks.yaml): every kind of long work. */
import type { components, operations } from '@contracts/gen/api';
import { api, unwrap } from './client';

export type Task = components['schemas']['Task'];
export type TaskKind = components['schemas']['TaskKind'];
export type TaskState = components['schemas']['TaskState'];
export type TaskStats = components['schemas']['TaskStats'];
export type TaskPage = components['schemas']['TaskPage'];
export type TaskQuery = NonNullable<operations['listTasks']['parameters']['query']>;

export function listTasks(query: TaskQuery = {}): Promise<TaskPage> {
  return unwrap(api.GET('/api/tasks', { params: { query } }));
}

export function getTask(id: string): Promise<Task> {
  return unwrap(api.GET('/api/tasks/{id}', { params: { path: { id } } }));
}

export function cancelTask(id: string): Promise<Task> {
  return unwrap(api.POST('/api/tasks/{id}/cancel', { params: { path: { id } } }));
}

export function retryTask(id: string): Promise<Task> {
  return unwrap(api.POST('/api/tasks/{id}/retry', { params: { path: { id } } }));
}

export async function deleteTask(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/tasks/{id}', { params: { path: { id } } }));
}

export function getTaskStats(): Promise<TaskStats> {
  return unwrap(api.GET('/api/tasks/stats'));
}

/** Finished: nothing more will happen to the task unless it is retried. */
export function isFinished(task: Pick<Task, 'state'>): boolean {
  return task.state !== 'queued' && task.state !== 'running';
}
