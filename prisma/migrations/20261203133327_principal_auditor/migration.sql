-- AlterTable
ALTER TABLE "principals" ADD COLUMN     "is_auditor" BOOLEAN NOT NULL DEFAULT false;
