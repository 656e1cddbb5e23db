-- CreateEnum
CREATE TYPE "conversation_kind" AS ENUM ('personal', 'channel');

-- CreateTable
CREATE TABLE "conversation_references" (
    "platform" "chat_platform" NOT NULL,
    "kind" "conversation_kind" NOT NULL,
    "key" TEXT NOT NULL,
    "reference" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "conversation_references_pkey" PRIMARY KEY ("platform","kind","key")
);
