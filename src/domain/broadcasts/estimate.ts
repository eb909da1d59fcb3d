import type { ChannelLimits } from "../../channels/adapter.js";

const minuteMs = 60_000;

/**
 * How long one channel takes to send `count` announcements, in Indonesian for staff: "sekitar 2
 * menit", "sekitar 3 hari (batas 200 pesan per hari)". Each resident gets one message, so the
 * pace is the slower of the overall rate (`perSecond`) and the gap between any two sends
 * (`minGapMs` plus on average half of `jitterMs`); the per-chat gap does not matter. With a
 * daily cap, `sentToday` non-replies already went today (the cap is shared with reminders and
 * other announcements) and the rest waits for the next WITA days ("mulai besok" when nothing
 * is left today). Quiet hours and other queued
 * messages are not counted: the figure is the fastest it can go.
 */
export function estimateDuration(count: number, limits: ChannelLimits, sentToday = 0): string {
  if (count <= 0) return "tidak ada pesan";
  const cap = limits.dailyCap;
  if (cap !== null && cap > 0) {
    const leftToday = Math.max(0, cap - sentToday);
    if (leftToday === 0) {
      const days = Math.ceil(count / cap);
      const span = days > 1 ? `sekitar ${days} hari` : formatDuration(count * gapMs(limits));
      return `${span}, mulai besok (batas ${cap} pesan per hari sudah tercapai hari ini)`;
    }
    if (count > leftToday) {
      const days = (leftToday > 0 ? 1 : 0) + Math.ceil((count - leftToday) / cap);
      return `sekitar ${days} hari (batas ${cap} pesan per hari)`;
    }
  }
  return formatDuration(count * gapMs(limits));
}

/** The average time between two sends on a channel, in ms. */
export function gapMs(limits: ChannelLimits): number {
  const rate = limits.perSecond > 0 ? 1000 / limits.perSecond : 0;
  return Math.max(rate, limits.minGapMs + limits.jitterMs / 2);
}

/** "kurang dari 1 menit", "sekitar 14 menit", "sekitar 2 jam 5 menit", "sekitar 3 hari". */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < minuteMs) return "kurang dari 1 menit";
  const minutes = Math.round(milliseconds / minuteMs);
  if (minutes < 60) return `sekitar ${minutes} menit`;
  if (minutes < 24 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? `sekitar ${hours} jam` : `sekitar ${hours} jam ${rest} menit`;
  }
  return `sekitar ${Math.round(minutes / (24 * 60))} hari`;
}
