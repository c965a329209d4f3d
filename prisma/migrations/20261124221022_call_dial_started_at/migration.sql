-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "dialStartedAt" TIMESTAMP(3);
