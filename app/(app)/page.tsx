import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { can, requirePageOperator } from "@/lib/auth/session";
import { PERMISSIONS } from "@/lib/auth/permissions";

export default async function HomePage() {
  const operator = await requirePageOperator();
  const t = await getTranslations("shell");
  const granted = PERMISSIONS.filter((permission) => can(operator, permission));
  return (
    <Card>
      <h1 className="text-xl font-semibold">{t("home.title", { name: operator.name })}</h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        {t("home.intro", { role: t(`roles.${operator.role}`) })}
      </p>
      <ul className="mt-3 list-disc space-y-1 pl-6 text-sm">
        {granted.map((permission) => (
          <li key={permission}>{t(`home.can.${permission}`)}</li>
        ))}
      </ul>
    </Card>
  );
}
