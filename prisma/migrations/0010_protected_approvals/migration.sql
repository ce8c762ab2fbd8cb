-- Four-eyes approval of password actions on protected users (issue 17, item 5): a request
-- names the operation, the user and its options, never a password. Another admin decides; the
-- requester then performs that operation once (status USED), within the approval window.

-- CreateEnum
CREATE TYPE "PasswordApprovalStatus" AS ENUM ('AWAITING_APPROVAL', 'APPROVED', 'REJECTED', 'EXPIRED', 'USED');

-- CreateTable
CREATE TABLE "PasswordApproval" (
    "id" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "userEmail" TEXT,
    "userName" TEXT NOT NULL,
    "connection" TEXT,
    "terms" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "PasswordApprovalStatus" NOT NULL,
    "requestedById" TEXT NOT NULL,
    "requestedByEmail" TEXT NOT NULL,
    "decidedById" TEXT,
    "decidedByEmail" TEXT,
    "decisionReason" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PasswordApproval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PasswordApproval_status_createdAt_idx" ON "PasswordApproval"("status", "createdAt");

-- CreateIndex
CREATE INDEX "PasswordApproval_requestedById_createdAt_idx" ON "PasswordApproval"("requestedById", "createdAt");
