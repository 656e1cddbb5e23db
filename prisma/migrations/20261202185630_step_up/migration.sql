-- AlterEnum
ALTER TYPE "request_status" ADD VALUE 'verifying';

-- AlterTable
ALTER TABLE "elevation_requests" ADD COLUMN     "requester_authentication" JSONB;

-- AlterTable
ALTER TABLE "scopes" ADD COLUMN     "mfa" JSONB;

-- CreateTable
CREATE TABLE "step_up_tickets" (
    "id_hash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "principal_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "state_hash" TEXT,
    "binding_hash" TEXT,
    "nonce" TEXT,
    "code_verifier" TEXT,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "step_up_tickets_pkey" PRIMARY KEY ("id_hash")
);

-- CreateTable
CREATE TABLE "principal_authentications" (
    "principal_id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "acr" TEXT,
    "amr" TEXT[],
    "auth_time" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "principal_authentications_pkey" PRIMARY KEY ("principal_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "step_up_tickets_state_hash_key" ON "step_up_tickets"("state_hash");

-- CreateIndex
CREATE INDEX "step_up_tickets_expires_at_idx" ON "step_up_tickets"("expires_at");

-- AddForeignKey
ALTER TABLE "step_up_tickets" ADD CONSTRAINT "step_up_tickets_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "elevation_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
