-- AlterTable
ALTER TABLE "elevation_requests" ADD COLUMN     "break_glass_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "break_glass_note" TEXT,
ADD COLUMN     "break_glass_reminded_at" TIMESTAMPTZ(3),
ADD COLUMN     "break_glass_reviewed_at" TIMESTAMPTZ(3),
ADD COLUMN     "break_glass_reviewed_by" TEXT,
ADD COLUMN     "break_glass_verdict" TEXT;

-- AlterTable
ALTER TABLE "scopes" ADD COLUMN     "break_glass" JSONB;

-- CreateIndex
CREATE INDEX "elevation_requests_break_glass_reviewed_at_break_glass_due__idx" ON "elevation_requests"("break_glass_reviewed_at", "break_glass_due_at");
