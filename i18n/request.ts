import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { loadMessages } from "@/messages";
import { isLocale, localeFromAcceptLanguage } from "./config";

export default getRequestConfig(async () => {
  const chosen = (await cookies()).get("NEXT_LOCALE")?.value;
  const locale = isLocale(chosen) ? chosen : localeFromAcceptLanguage((await headers()).get("accept-language"));
  return { locale, messages: await loadMessages(locale), timeZone: "UTC" };
});
