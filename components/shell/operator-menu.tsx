"use client";

import { signOutTo } from "@/lib/client/sign-out";
import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { Role } from "@/lib/auth/permissions";

export function OperatorMenu({ name, email, role }: { name: string; email: string; role: Role }) {
  const t = useTranslations("shell");
  const ta = useTranslations("auth");
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:bg-slate-800"
      >
        <span className="sr-only">{t("operatorMenuPrefix")}</span>
        <span className="font-medium">{name}</span>
        <Badge tone={role === "ADMIN" ? "violet" : role === "SUPPORT" ? "blue" : "green"}>{t(`roles.${role}`)}</Badge>
      </DropdownMenuTrigger>
      <DropdownMenuContent>
        <DropdownMenuLabel className="px-2 py-1.5 text-xs text-slate-600 dark:text-slate-300">{email}</DropdownMenuLabel>
        <DropdownMenuSeparator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
        <DropdownMenuItem onSelect={() => void signOutTo("/sign-in")}>{ta("signOut")}</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
