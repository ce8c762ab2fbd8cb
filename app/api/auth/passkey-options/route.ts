import { NextResponse, type NextRequest } from "next/server";
import { passkeyAuthenticationOptions } from "@/lib/auth/mfa/passkeys";
import { relyingPartyFrom } from "@/lib/auth/mfa/relying-party";
import { getPrisma } from "@/lib/db";

/**
 * Public (nobody is signed in yet): a single-use challenge for passwordless passkey sign-in or
 * the passkey second step. It grants nothing by itself; the answer goes to next-auth's
 * `passkey` / `credentials` provider, which verifies it (lib/auth/mfa/passkeys.ts).
 */
export async function POST(request: NextRequest): Promise<Response> {
  const { challengeId, options } = await passkeyAuthenticationOptions(await getPrisma(), {
    purpose: "sign_in",
    operatorId: null,
    rp: relyingPartyFrom(request.headers),
    now: new Date(),
  });
  return NextResponse.json({ challengeId, options }, { headers: { "Cache-Control": "no-store" } });
}
