-- DropIndex
DROP INDEX "grants_status_ends_at_idx";

-- CreateIndex
CREATE INDEX "grants_status_ends_at_id_idx" ON "grants"("status", "ends_at", "id");
