-- AlterTable
ALTER TABLE "CallTurn" ADD COLUMN     "dtmf" TEXT;
