-- AlterEnum
ALTER TYPE "grant_end_reason" ADD VALUE 'extended';

-- AlterTable
ALTER TABLE "elevation_requests" ADD COLUMN     "extends_grant_id" TEXT;

-- AlterTable
ALTER TABLE "scopes" ADD COLUMN     "extend" JSONB;

-- CreateIndex
CREATE INDEX "elevation_requests_extends_grant_id_idx" ON "elevation_requests"("extends_grant_id");
