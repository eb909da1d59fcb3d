ALTER TABLE "programmes" ADD COLUMN "seats_taken" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Kept by this trigger in the transaction that inserts, deletes or changes a registration, so
-- every writer (the domain, the console, the API, a staff member's SQL) keeps it right. The
-- statuses that hold a seat are seatHoldingStatuses in src/domain/programmes.ts.
CREATE FUNCTION "registrations_seats_taken"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  held_before boolean := TG_OP <> 'INSERT' AND OLD.status IN ('registered', 'offered', 'completed');
  held_after boolean := TG_OP <> 'DELETE' AND NEW.status IN ('registered', 'offered', 'completed');
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.programme_id = NEW.programme_id AND held_before = held_after THEN
    RETURN NULL;
  END IF;
  IF held_before THEN
    UPDATE "programmes" SET "seats_taken" = "seats_taken" - 1 WHERE "id" = OLD.programme_id;
  END IF;
  IF held_after THEN
    UPDATE "programmes" SET "seats_taken" = "seats_taken" + 1 WHERE "id" = NEW.programme_id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "registrations_seats_taken" AFTER INSERT OR DELETE OR UPDATE OF "status", "programme_id" ON "registrations" FOR EACH ROW EXECUTE FUNCTION "registrations_seats_taken"();--> statement-breakpoint
UPDATE "programmes" SET "seats_taken" = (
  SELECT count(*) FROM "registrations"
  WHERE "registrations"."programme_id" = "programmes"."id"
    AND "registrations"."status" IN ('registered', 'offered', 'completed')
);
