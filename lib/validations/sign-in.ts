import { z } from "zod";

/** The sign-in form. Limits keep absurd inputs away from argon2 and the database. */
export const signInCredentialsSchema = z.object({
  email: z.string().trim().min(3).max(254).email(),
  password: z.string().min(1).max(1024),
});
