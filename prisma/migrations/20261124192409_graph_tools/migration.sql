-- AlterEnum
ALTER TYPE "CallDirection" ADD VALUE 'simulation';

-- AlterTable
ALTER TABLE "CallTurn" ADD COLUMN     "tool" JSONB,
ADD COLUMN     "toolCalls" JSONB;
