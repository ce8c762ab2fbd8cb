import { X509Certificate } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generate } from "selfsigned";

export type TlsMaterial = {
  caFile: string;
  caPem: string;
  key: string;
  cert: string;
};

const DAY_MS = 86_400_000;

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function isUsable(certPem: string, caPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    // Renew a month before expiry, and whenever the CA was replaced.
    return (
      Date.parse(cert.validTo) - Date.now() > 30 * DAY_MS && cert.checkIssued(ca) && cert.verify(ca.publicKey)
    );
  } catch {
    return false;
  }
}

/**
 * A local certificate authority, created once in `dir` and reused, and a server certificate
 * for localhost / 127.0.0.1 / ::1 signed by it. Clients trust `ca.pem` (undici Agent `ca`, or
 * NODE_EXTRA_CA_CERTS), so nothing needs `rejectUnauthorized: false`.
 */
export async function ensureTls(dir: string): Promise<TlsMaterial> {
  await mkdir(dir, { recursive: true });
  const caFile = join(dir, "ca.pem");
  const caKeyFile = join(dir, "ca-key.pem");
  const certFile = join(dir, "server.pem");
  const keyFile = join(dir, "server-key.pem");

  let caPem = await readIfExists(caFile);
  let caKey = await readIfExists(caKeyFile);
  if (!caPem || !caKey) {
    const now = new Date();
    const ca = await generate(
      [
        { name: "commonName", value: "Passdesk Local Tenant CA" },
        { name: "organizationName", value: "Passdesk (local)" },
      ],
      {
        keySize: 2048,
        algorithm: "sha256",
        notBeforeDate: new Date(now.getTime() - DAY_MS),
        notAfterDate: new Date(now.getTime() + 10 * 365 * DAY_MS),
        extensions: [
          { name: "basicConstraints", cA: true, critical: true },
          { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        ],
      },
    );
    caPem = ca.cert;
    caKey = ca.private;
    await writeFile(caKeyFile, caKey, { mode: 0o600 });
    await writeFile(caFile, caPem);
  }

  let cert = await readIfExists(certFile);
  let key = await readIfExists(keyFile);
  if (!cert || !key || !isUsable(cert, caPem)) {
    const now = new Date();
    const server = await generate([{ name: "commonName", value: "localhost" }], {
      keySize: 2048,
      algorithm: "sha256",
      notBeforeDate: new Date(now.getTime() - DAY_MS),
      notAfterDate: new Date(now.getTime() + 365 * DAY_MS),
      ca: { key: caKey, cert: caPem },
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", serverAuth: true },
        {
          name: "subjectAltName",
          altNames: [
            { type: 2, value: "localhost" },
            { type: 7, ip: "127.0.0.1" },
            { type: 7, ip: "::1" },
          ],
        },
      ],
    });
    cert = server.cert;
    key = server.private;
    await writeFile(keyFile, key, { mode: 0o600 });
    await writeFile(certFile, cert);
  }
  return { caFile, caPem, key, cert };
}
