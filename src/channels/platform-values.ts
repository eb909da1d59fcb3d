import type { InboundContent } from "./contract.js";

/**
 * Values a platform sends that are checked before they are trusted: a shape the platform's
 * types did not foresee must become something storable, not an error on every redelivery.
 */

/**
 * When a platform says a message was sent, in Unix seconds. Anything that is not a usable time
 * (missing, not a number, zero, or past what a Date can hold) gives `fallback`, the arrival
 * time: an invalid Date would make storing the message fail every time.
 */
export function sentAt(seconds: unknown, fallback: Date): Date {
  if (typeof seconds !== "number" || !(seconds > 0)) return fallback;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? fallback : date;
}

/** A shared location, or `other` (described as `description`) when it is not a place on Earth. */
export function locationContent(
  latitude: unknown,
  longitude: unknown,
  description: string,
): InboundContent {
  const lat = Number(latitude);
  const lng = Number(longitude);
  const onEarth =
    latitude !== null &&
    longitude !== null &&
    Number.isFinite(lat) &&
    Number.isFinite(lng) &&
    Math.abs(lat) <= 90 &&
    Math.abs(lng) <= 180;
  return onEarth
    ? { kind: "location", latitude: lat, longitude: lng }
    : { kind: "other", description };
}
