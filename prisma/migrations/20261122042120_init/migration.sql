-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "principal_kind" AS ENUM ('human', 'service');

-- CreateEnum
CREATE TYPE "chat_platform" AS ENUM ('slack', 'teams');

-- CreateEnum
CREATE TYPE "request_status" AS ENUM ('pending', 'approved', 'denied', 'expired', 'cancelled', 'auto_approved', 'auto_denied');

-- CreateEnum
CREATE TYPE "request_source" AS ENUM ('slack', 'teams', 'api', 'cli');

-- CreateEnum
CREATE TYPE "review_decision" AS ENUM ('approve', 'deny');

-- CreateEnum
CREATE TYPE "grant_status" AS ENUM ('issuing', 'active', 'revoking', 'revoked', 'issue_failed');

-- CreateEnum
CREATE TYPE "grant_end_reason" AS ENUM ('expired', 'ended_by_requester', 'revoked_by_reviewer', 'revoked_by_admin');

-- CreateTable
CREATE TABLE "scopes" (
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "oauth_scope" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "default_duration_sec" INTEGER NOT NULL,
    "max_duration_sec" INTEGER NOT NULL,
    "pending_ttl_sec" INTEGER NOT NULL,
    "approvals_required" INTEGER NOT NULL,
    "approvers" TEXT[],
    "requesters" TEXT[],
    "reason_pattern" TEXT,
    "policy" JSONB NOT NULL,

    CONSTRAINT "scopes_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "principals" (
    "id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "email" TEXT,
    "kind" "principal_kind" NOT NULL,
    "is_admin" BOOLEAN NOT NULL DEFAULT false,
    "last_seen_at" TIMESTAMPTZ(3),

    CONSTRAINT "principals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_identities" (
    "platform" "chat_platform" NOT NULL,
    "user_id" TEXT NOT NULL,
    "principal_id" TEXT NOT NULL,

    CONSTRAINT "chat_identities_pkey" PRIMARY KEY ("platform","user_id")
);

-- CreateTable
CREATE TABLE "channel_mappings" (
    "platform" "chat_platform" NOT NULL,
    "channel_id" TEXT NOT NULL,
    "scope_name" TEXT NOT NULL,

    CONSTRAINT "channel_mappings_pkey" PRIMARY KEY ("platform","channel_id","scope_name")
);

-- CreateTable
CREATE TABLE "elevation_requests" (
    "id" TEXT NOT NULL,
    "scope_name" TEXT NOT NULL,
    "requester_id" TEXT NOT NULL,
    "duration_sec" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "source" "request_source" NOT NULL,
    "status" "request_status" NOT NULL,
    "approvals_required" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "pending_until" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "decision_note" TEXT,

    CONSTRAINT "elevation_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reviews" (
    "request_id" TEXT NOT NULL,
    "approver_id" TEXT NOT NULL,
    "decision" "review_decision" NOT NULL,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reviews_pkey" PRIMARY KEY ("request_id","approver_id")
);

-- CreateTable
CREATE TABLE "posted_messages" (
    "request_id" TEXT NOT NULL,
    "platform" "chat_platform" NOT NULL,
    "channel_id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "posted_messages_pkey" PRIMARY KEY ("request_id","platform","channel_id")
);

-- CreateTable
CREATE TABLE "grants" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "status" "grant_status" NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "as_expires_at" TIMESTAMPTZ(3),
    "issued_at" TIMESTAMPTZ(3),
    "token_sealed" TEXT,
    "token_type" TEXT,
    "end_reason" "grant_end_reason",
    "revoked_at" TIMESTAMPTZ(3),
    "revocation_lag_ms" BIGINT,
    "revoke_attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_records" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "request_id" TEXT,
    "grant_id" TEXT,
    "data" JSONB NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_records_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "audit_head" (
    "id" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_head_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "chat_identities_principal_id_idx" ON "chat_identities"("principal_id");

-- CreateIndex
CREATE INDEX "channel_mappings_scope_name_idx" ON "channel_mappings"("scope_name");

-- CreateIndex
CREATE INDEX "elevation_requests_requester_id_scope_name_created_at_idx" ON "elevation_requests"("requester_id", "scope_name", "created_at");

-- CreateIndex
CREATE INDEX "elevation_requests_status_pending_until_idx" ON "elevation_requests"("status", "pending_until");

-- CreateIndex
CREATE INDEX "elevation_requests_created_at_idx" ON "elevation_requests"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "grants_request_id_key" ON "grants"("request_id");

-- CreateIndex
CREATE INDEX "grants_status_ends_at_idx" ON "grants"("status", "ends_at");

-- CreateIndex
CREATE INDEX "grants_status_next_attempt_at_idx" ON "grants"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "audit_records_request_id_idx" ON "audit_records"("request_id");

-- AddForeignKey
ALTER TABLE "chat_identities" ADD CONSTRAINT "chat_identities_principal_id_fkey" FOREIGN KEY ("principal_id") REFERENCES "principals"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_mappings" ADD CONSTRAINT "channel_mappings_scope_name_fkey" FOREIGN KEY ("scope_name") REFERENCES "scopes"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "elevation_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "posted_messages" ADD CONSTRAINT "posted_messages_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "elevation_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grants" ADD CONSTRAINT "grants_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "elevation_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
