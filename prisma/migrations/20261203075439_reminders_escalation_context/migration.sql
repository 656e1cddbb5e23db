-- AlterTable
ALTER TABLE "elevation_requests" ADD COLUMN     "escalated_at" TIMESTAMPTZ(3),
ADD COLUMN     "reminded_at" TIMESTAMPTZ(3),
ADD COLUMN     "requester_last_seen_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "scopes" ADD COLUMN     "escalation" JSONB,
ADD COLUMN     "remind_after_sec" INTEGER;
