import { redirect } from "next/navigation";
import { requirePageOperator } from "@/lib/auth/session";

/** Every role can read users, and finding a user is what Passdesk is opened for. */
export default async function HomePage() {
  await requirePageOperator("users:read");
  redirect("/users");
}
