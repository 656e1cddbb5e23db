-- AlterTable: which audit key chained each record (NULL: chained with plain SHA-256).
ALTER TABLE "audit_records" ADD COLUMN     "key_id" TEXT;

-- AlterTable: when Elevate first knew each principal. Existing principals get the time of the
-- earliest audit record that added them (from the config file), else the earliest record of all,
-- else now: never later than the truth, so a principal never seen is not taken for a new one.
ALTER TABLE "principals" ADD COLUMN     "created_at" TIMESTAMPTZ(3);
UPDATE "principals" p SET "created_at" = COALESCE(
  (SELECT min(a."at") FROM "audit_records" a WHERE a."type" = 'admin.principal_changed' AND a."data"->>'key' = p."id"),
  (SELECT min(a."at") FROM "audit_records" a),
  now()
);
ALTER TABLE "principals" ALTER COLUMN "created_at" SET NOT NULL;
