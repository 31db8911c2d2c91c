// The engine's public surface: domains schedule and cancel jobs and define handler families;
// the composition root creates and starts the engine.
export { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';
export { type CronEntry, type CronPayload } from './cron.ts';
export { createEngine, type Engine, type EngineOptions } from './engine.ts';
export { defineFamily, type EngineLogger, type HandlerContext, type HandlerFamily, type Job, type JobHandler } from './registry.ts';
export { cancelJob, cancelJobs, type KeyMode, scheduleJob, scheduleJobs, type ScheduleJobInput, type ScheduleJobResult } from './schedule-job.ts';
