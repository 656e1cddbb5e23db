-- AlterEnum
ALTER TYPE "request_source" ADD VALUE 'web';
