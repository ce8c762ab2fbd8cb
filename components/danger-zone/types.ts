/** What the Danger Zone dialogs need about the user; defined with the view in lib/users/profile. */
export type { DangerZoneTarget } from "@/lib/users/profile";
