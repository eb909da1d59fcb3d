/**
 * Seats offered from the waitlist (`fillFreedSeat` makes the offers): the resident's answer
 * (TERIMA / TOLAK, flows/tawaran.yaml) and the sweep that ends offers nobody answered in time.
 *
 * An offer is open while `now < offer_expires_at`. Every change takes the programme row lock
 * first (like register and cancel), then re-reads the registration, so an answer and the sweep
 * racing for one offer are served one after the other and only the first has an effect.
 * An answered or lapsed offer keeps its `offer_expires_at`, so a late or repeated answer can be
 * told what happened: registered with a deadline = accepted; cancelled with `updated_at` at or
 * after the deadline = lapsed; cancelled before it = declined.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, lte } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { programmes, registrations } from "../db/schema/index.js";
import { formatDateTime } from "../engine/format.js";
import { findKeyword } from "../engine/understand/index.js";
import { enqueueMessage } from "./outbox.js";
import { nextSessionAt } from "./programmes.js";
import { fillFreedSeat, lockProgramme } from "./registrations.js";

/** How long after an offer was settled a late or repeated answer is told what happened. */
const SETTLED_ANSWER_WINDOW_MS = 7 * 24 * 3_600_000;

export type OfferAnswer = "accept" | "decline";

/** Decline phrases come first: "tidak ambil kursi" must not read as "ambil kursi". */
const answerWords: readonly [string, OfferAnswer][] = [
  ["tidak ambil kursi", "decline"],
  ["tidak ambil", "decline"],
  ["tidak jadi ambil", "decline"],
  ["tolak", "decline"],
  ["terima", "accept"],
  ["ambil kursi", "accept"],
  ["ambil", "accept"],
];

/** What "TERIMA", "ambil kursi", "tolak aja", "ga ambil" mean; undefined for anything else. */
export function readOfferAnswer(text: string): OfferAnswer | undefined {
  const found = findKeyword(
    text,
    answerWords.map(([word]) => word),
  );
  return answerWords.find(([word]) => word === found)?.[1];
}

export interface OpenOffer {
  registrationId: number;
  programmeId: number;
  title: string;
  expiresAt: Date;
}

/** The resident's offers, soonest deadline first (lapsed ones the sweep has not reached too). */
export async function openOffers(db: Db, contactId: number): Promise<OpenOffer[]> {
  const rows = await db
    .select({
      registrationId: registrations.id,
      programmeId: registrations.programmeId,
      title: programmes.title,
      expiresAt: registrations.offerExpiresAt,
    })
    .from(registrations)
    .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
    .where(and(eq(registrations.contactId, contactId), eq(registrations.status, "offered")))
    .orderBy(asc(registrations.offerExpiresAt), asc(registrations.id));
  return rows.map((row) => ({ ...row, expiresAt: row.expiresAt ?? new Date(0) }));
}

export type AnswerOfferResult =
  | { result: "accepted"; registrationId: number; title: string; firstSession: Date | null }
  | { result: "declined"; registrationId: number; title: string }
  /** The deadline passed before the answer; the seat went (or now goes) to the next in line. */
  | { result: "expired"; title: string }
  | { result: "no_offer" }
  /** Several offers and the answer does not say which: ask, then answer with registrationId. */
  | { result: "choose"; offers: OpenOffer[] };

/**
 * Accepts (status registered) or declines (status cancelled, the seat offered to the next in
 * line) the resident's offer. With several offers `registrationId` says which one. An answer
 * after the deadline ends the offer as the sweep would and says "expired".
 */
export function answerOffer(
  db: Db,
  input: {
    contactId: number;
    answer: OfferAnswer;
    registrationId?: number | undefined;
    now: Date;
    offerTtlMs?: number | undefined;
  },
): Promise<AnswerOfferResult> {
  return db.transaction(async (tx) => {
    const offers = (await openOffers(tx, input.contactId)).filter(
      (offer) =>
        input.registrationId === undefined || offer.registrationId === input.registrationId,
    );
    const [offer] = offers;
    if (!offer) return answeredBefore(tx, input);
    if (offers.length > 1) return { result: "choose", offers };

    const programme = await lockProgramme(tx, offer.programmeId);
    const [current] = await tx
      .select({ status: registrations.status, expiresAt: registrations.offerExpiresAt })
      .from(registrations)
      .where(eq(registrations.id, offer.registrationId))
      .for("update");
    if (!programme || !current) return { result: "no_offer" };
    const { registrationId, title } = offer;
    if (current.status !== "offered") {
      // Another turn or the sweep got the lock first.
      return answeredBefore(tx, { ...input, registrationId });
    }
    if (!current.expiresAt || current.expiresAt <= input.now) {
      await endOffer(tx, registrationId, input.now);
      await fillFreedSeat(tx, { programmeId: programme.id, ...timing(input) });
      return { result: "expired", title };
    }
    if (input.answer === "accept") {
      await tx
        .update(registrations)
        .set({ status: "registered", updatedAt: input.now })
        .where(eq(registrations.id, registrationId));
      const firstSession = await nextSessionAt(tx, programme.id, input.now);
      return { result: "accepted", registrationId, title, firstSession };
    }
    await endOffer(tx, registrationId, input.now);
    await fillFreedSeat(tx, { programmeId: programme.id, ...timing(input) });
    return { result: "declined", registrationId, title };
  });
}

function timing(input: { now: Date; offerTtlMs?: number | undefined }) {
  return { now: input.now, offerTtlMs: input.offerTtlMs };
}

/** Cancels an offer, keeping its deadline (see the module comment). */
async function endOffer(tx: Db, registrationId: number, now: Date): Promise<void> {
  await tx
    .update(registrations)
    .set({ status: "cancelled", waitlistPosition: null, updatedAt: now })
    .where(eq(registrations.id, registrationId));
}

/**
 * The answer to an offer already settled, most recent first: a repeated TERIMA after accepting
 * says "accepted" again, an answer to an offer that lapsed says "expired", otherwise "no_offer".
 */
async function answeredBefore(
  tx: Db,
  input: { contactId: number; answer: OfferAnswer; registrationId?: number | undefined; now: Date },
): Promise<AnswerOfferResult> {
  const [settled] = await tx
    .select({
      registrationId: registrations.id,
      programmeId: registrations.programmeId,
      title: programmes.title,
      status: registrations.status,
      expiresAt: registrations.offerExpiresAt,
      updatedAt: registrations.updatedAt,
    })
    .from(registrations)
    .innerJoin(programmes, eq(programmes.id, registrations.programmeId))
    .where(
      and(
        eq(registrations.contactId, input.contactId),
        input.registrationId === undefined ? undefined : eq(registrations.id, input.registrationId),
        inArray(registrations.status, ["registered", "cancelled"]),
        isNotNull(registrations.offerExpiresAt),
        gte(registrations.updatedAt, new Date(input.now.getTime() - SETTLED_ANSWER_WINDOW_MS)),
      ),
    )
    .orderBy(desc(registrations.updatedAt), desc(registrations.id))
    .limit(1);
  if (!settled?.expiresAt) return { result: "no_offer" };
  const { registrationId, title } = settled;
  if (settled.status === "registered" && input.answer === "accept") {
    const firstSession = await nextSessionAt(tx, settled.programmeId, input.now);
    return { result: "accepted", registrationId, title, firstSession };
  }
  if (settled.status === "cancelled" && settled.expiresAt <= settled.updatedAt) {
    return { result: "expired", title };
  }
  return { result: "no_offer" };
}

/** The notice to a resident whose offer lapsed without an answer. */
export function offerExpiredText(title: string, expiresAt: Date): string {
  return `Tawaran kursi di ${title} sudah berakhir karena belum ada jawaban sampai ${formatDateTime(expiresAt)}. Kursi itu kini ditawarkan ke warga berikutnya. Ketik DAFTAR untuk melihat program lain.`;
}

export interface ExpireOffersResult {
  /** Offers that lapsed in this sweep. */
  expired: number;
  /** New offers made with the seats they freed. */
  offered: number;
}

/**
 * Ends every offer whose deadline has passed: status cancelled, a notice to that resident, and
 * the seat offered to the next in line. Run every minute; idempotent, and safe with several
 * processes sweeping at once (each programme is handled under its row lock, in its own
 * transaction, re-reading what is still offered and lapsed).
 */
export async function expireOffers(
  db: Db,
  input: { now: Date; offerTtlMs?: number | undefined },
): Promise<ExpireOffersResult> {
  const due = await db
    .selectDistinct({ programmeId: registrations.programmeId })
    .from(registrations)
    .where(and(eq(registrations.status, "offered"), lte(registrations.offerExpiresAt, input.now)))
    .orderBy(asc(registrations.programmeId));
  const total: ExpireOffersResult = { expired: 0, offered: 0 };
  for (const { programmeId } of due) {
    const swept = await db.transaction(async (tx) => {
      const programme = await lockProgramme(tx, programmeId);
      if (!programme) return { expired: 0, offered: 0 };
      const lapsed = await tx
        .select({
          id: registrations.id,
          contactId: registrations.contactId,
          expiresAt: registrations.offerExpiresAt,
        })
        .from(registrations)
        .where(
          and(
            eq(registrations.programmeId, programmeId),
            eq(registrations.status, "offered"),
            lte(registrations.offerExpiresAt, input.now),
          ),
        )
        .orderBy(asc(registrations.offerExpiresAt), asc(registrations.id))
        .for("update");
      if (lapsed.length === 0) return { expired: 0, offered: 0 };
      await tx
        .update(registrations)
        .set({ status: "cancelled", waitlistPosition: null, updatedAt: input.now })
        .where(
          inArray(
            registrations.id,
            lapsed.map((row) => row.id),
          ),
        );
      for (const row of lapsed) {
        if (row.contactId === null) continue;
        await enqueueMessage(tx, {
          contactId: row.contactId,
          text: offerExpiredText(programme.title, row.expiresAt ?? input.now),
          priority: "notice",
          dedupeKey: `registration-offer-expired:${row.id}`,
          now: input.now,
        });
      }
      const offered = await fillFreedSeat(tx, { programmeId, ...timing(input) });
      return { expired: lapsed.length, offered: offered.length };
    });
    total.expired += swept.expired;
    total.offered += swept.offered;
  }
  return total;
}
