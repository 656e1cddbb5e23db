-- CreateIndex
CREATE INDEX "audit_records_at_idx" ON "audit_records"("at");

-- CreateIndex
CREATE INDEX "grants_revoked_at_idx" ON "grants"("revoked_at");
