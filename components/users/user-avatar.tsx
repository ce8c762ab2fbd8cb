"use client";

import { useEffect, useRef, useState } from "react";
import { isAllowedAvatarUrl } from "@/lib/avatar-hosts";
import { cn } from "@/lib/utils";

/**
 * A user's picture, or their initial when there is none. Decorative (`alt=""`): the name is
 * always next to it. Plain <img>, no next/image optimizer in between. Only pictures on the known
 * avatar hosts (lib/avatar-hosts) are requested at all — any other host would learn the
 * operator's IP — and an unreachable picture falls back to the initial too.
 */
export function UserAvatar({
  name,
  picture,
  size = 32,
}: {
  name: string;
  picture: string | null;
  size?: number;
}) {
  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? "?";
  const style = { width: size, height: size };
  const [hasFailed, setFailed] = useState(false);
  const imageRef = useRef<HTMLImageElement>(null);
  // A server-rendered picture can fail before React attaches onError; catch that after hydration.
  useEffect(() => {
    const image = imageRef.current;
    if (image && image.complete && image.naturalWidth === 0) setFailed(true);
  }, [picture]);
  if (!picture || hasFailed || !isAllowedAvatarUrl(picture)) {
    return (
      <span
        aria-hidden="true"
        style={style}
        className="inline-flex shrink-0 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700 dark:bg-slate-700 dark:text-slate-200"
      >
        {initial}
      </span>
    );
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element -- see the comment above
    <img
      ref={imageRef}
      src={picture}
      alt=""
      width={size}
      height={size}
      loading="lazy"
      referrerPolicy="no-referrer"
      onError={() => setFailed(true)}
      className={cn("shrink-0 rounded-full bg-slate-200 object-cover dark:bg-slate-700")}
      style={style}
    />
  );
}
