import { timestamp } from "drizzle-orm/pg-core";

/** A timestamptz column; every instant is stored in UTC and shown in WITA. */
export const instant = (name: string) => timestamp(name, { withTimezone: true });
export const createdAt = () => instant("created_at").notNull().defaultNow();
export const updatedAt = () => instant("updated_at").notNull().defaultNow();
