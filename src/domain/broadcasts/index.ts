/**
 * Announcements (pengumuman) from staff to residents: who receives them, a preview, the
 * fan-out into the outbox, the scheduled sweep, progress and cancelling. See README.md.
 */
export {
  type BroadcastAudience,
  BroadcastInputError,
  broadcastAudienceSchema,
  checkAudience,
  defaultRegistrationStatuses,
} from "./audience.js";
export { type CancelResult, cancelBroadcast, withdrawAnnouncements } from "./cancel.js";
export {
  type BroadcastDraft,
  broadcastDraftSchema,
  type CreateBroadcastRequest,
  createBroadcast,
} from "./create.js";
export { estimateDuration, formatDuration } from "./estimate.js";
export { dedupeKeyOf } from "./fan-out.js";
export { type BroadcastPreview, type PreviewRequest, previewBroadcast } from "./preview.js";
export {
  type BroadcastProgress,
  type BroadcastRecipient,
  broadcastProgress,
  broadcastRecipients,
} from "./progress.js";
export {
  dueScheduledBroadcasts,
  type SendRequest,
  type SendResult,
  type SweepResult,
  sendBroadcast,
} from "./send.js";
export { type BroadcastRow, type BroadcastStatus, findBroadcast } from "./store.js";
export { broadcastTextSchema, personalise, placeholders, stopLine } from "./text.js";
