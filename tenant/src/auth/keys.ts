import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from "jose";

/**
 * The tenant's RS256 signing key. It is stored beside the CA so tokens the app has cached
 * (the SDK keeps them for 24 h) stay valid across a tenant restart.
 */
export class SigningKeys {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    readonly kid: string,
    private readonly publicJwk: JWK,
  ) {}

  static async load(dir: string): Promise<SigningKeys> {
    await mkdir(dir, { recursive: true });
    const file = join(dir, "jwt-signing-key.pem");
    let pem: string;
    try {
      pem = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      await writeFile(file, pem, { mode: 0o600 });
    }
    const privateKey = createPrivateKey(pem);
    const publicKey = createPublicKey(privateKey);
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    return new SigningKeys(privateKey, publicKey, kid, { ...jwk, kid, alg: "RS256", use: "sig" });
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async sign(claims: JWTPayload & { iat?: number; exp?: number }): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.kid })
      .sign(this.privateKey);
  }

  async verify(token: string, options: { issuer: string; audience?: string }): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.publicKey, {
      algorithms: ["RS256"],
      issuer: options.issuer,
      ...(options.audience === undefined ? {} : { audience: options.audience }),
    });
    return payload;
  }
}
