-- CreateTable
CREATE TABLE "audit_stream_cursors" (
    "name" TEXT NOT NULL,
    "cursor_seq" BIGINT NOT NULL,
    "holder" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "audit_stream_cursors_pkey" PRIMARY KEY ("name")
);
