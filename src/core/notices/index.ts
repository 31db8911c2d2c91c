export { noticeJobs } from './jobs.ts';
export { type NewNotice, NOTICE_SEND, queueNotice } from './queue-notice.ts';
