"use client";

import Link from "next/link";
import { useSyncExternalStore } from "react";
import { readRememberedUserSearch, usersHref } from "./remembered-search";

const subscribe = () => () => {};

/** "← Back to users", to the search, sort and page this tab last showed (plain /users on the server). */
export function BackToUsers({ label }: { label: string }) {
  const query = useSyncExternalStore(subscribe, readRememberedUserSearch, () => "");
  return (
    <Link
      href={usersHref(query)}
      className="text-sm font-medium text-indigo-700 underline dark:text-indigo-300"
    >
      ← {label}
    </Link>
  );
}
