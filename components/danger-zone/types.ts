import type { PasswordPolicy } from "@/lib/auth0/types";

/** What the Danger Zone dialogs need about the user (a small DTO; the server re-reads the rest). */
export type DangerZoneTarget = {
  userId: string;
  name: string;
  email: string | null;
  /** The database connection whose password is changed. */
  connection: string;
  /** Null when the connection's options could not be read. */
  passwordPolicy: PasswordPolicy | null;
  /** Profile words the strength meter treats as guessable (name, email). */
  userInputs: string[];
};
