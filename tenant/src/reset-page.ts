import type { TenantContext } from "./context.ts";
import { ApiError, escapeHtml, readRawBody, sendHtml } from "./http.ts";
import { writeLog } from "./logs.ts";
import { describePolicy, type PolicyRuleDescription } from "./policy.ts";
import { linkState, markLinkUsed, type LinkState } from "./reset-links.ts";
import type { RouteRequest } from "./router-types.ts";
import type { ResetLink } from "./types.ts";
import { changePassword, nowIso } from "./user-service.ts";

type Lang = "en" | "ja";

const TEXT = {
  en: {
    title: "Change your password",
    intro: (email: string) => `Enter a new password for ${email}.`,
    newPassword: "New password",
    confirm: "Confirm new password",
    submit: "Reset password",
    rules: "Your password must contain:",
    mismatch: "The passwords do not match.",
    required: "Enter a new password.",
    done: "Your password has been changed.",
    doneDetail: "You can now sign in with your new password.",
    states: {
      unknown: "This link is not valid. Check that you copied the whole link, or request a new one.",
      used: "This link has already been used. Request a new one if you still need to change your password.",
      expired: "This link has expired. Request a new one.",
      superseded:
        "This link is no longer valid because a newer one was requested. Use the most recent link you received.",
    } satisfies Record<Exclude<LinkState, "valid">, string>,
    policy: {
      PasswordStrengthError: "The password is too weak: it does not meet every rule below.",
      PasswordHistoryError: "You have used this password recently. Choose a different one.",
      PasswordDictionaryError: "This password is too common. Choose a different one.",
      PasswordNoUserInfoError: "The password must not contain your name or email.",
    } as Record<string, string>,
    rule: (rule: PolicyRuleDescription): string => formatRule(rule.message, rule.format),
  },
  ja: {
    title: "パスワードの変更",
    intro: (email: string) => `${email} の新しいパスワードを入力してください。`,
    newPassword: "新しいパスワード",
    confirm: "新しいパスワード（確認）",
    submit: "パスワードを再設定",
    rules: "パスワードの条件:",
    mismatch: "パスワードが一致しません。",
    required: "新しいパスワードを入力してください。",
    done: "パスワードを変更しました。",
    doneDetail: "新しいパスワードでサインインできます。",
    states: {
      unknown:
        "このリンクは無効です。リンク全体をコピーしたか確認するか、新しいリンクをリクエストしてください。",
      used: "このリンクは既に使用されています。パスワードの変更が必要な場合は、新しいリンクをリクエストしてください。",
      expired: "このリンクは有効期限が切れています。新しいリンクをリクエストしてください。",
      superseded:
        "より新しいリンクがリクエストされたため、このリンクは無効になりました。最新のリンクを使用してください。",
    } satisfies Record<Exclude<LinkState, "valid">, string>,
    policy: {
      PasswordStrengthError: "パスワードが弱すぎます。以下のすべての条件を満たしてください。",
      PasswordHistoryError: "最近使用したパスワードです。別のパスワードを選んでください。",
      PasswordDictionaryError: "よく使われるパスワードです。別のパスワードを選んでください。",
      PasswordNoUserInfoError: "パスワードに名前やメールアドレスを含めることはできません。",
    } as Record<string, string>,
    rule: (rule: PolicyRuleDescription): string => {
      const n = rule.format?.[0];
      switch (rule.code) {
        case "lengthAtLeast":
          return `${n} 文字以上`;
        case "nonEmpty":
          return "空でないこと";
        case "containsAtLeast":
          return `次の ${rule.format?.[1] ?? 4} 種類のうち ${n} 種類以上を含む:`;
        case "shouldContain":
          return "次をすべて含む:";
        case "lowerCase":
          return "小文字 (a-z)";
        case "upperCase":
          return "大文字 (A-Z)";
        case "numbers":
          return "数字 (0-9)";
        case "specialCharacters":
          return "記号 (例: !@#$%^&*)";
        case "identicalChars":
          return `同じ文字を ${(typeof n === "number" ? n : 2) + 1} 回以上続けない`;
        default:
          return formatRule(rule.message, rule.format);
      }
    },
  },
} as const;

function formatRule(message: string, format: (string | number)[] | undefined): string {
  let index = 0;
  return message.replace(/%[ds]/g, () => String(format?.[index++] ?? ""));
}

function languageOf(request: RouteRequest, override?: string | null): Lang {
  const explicit = override ?? request.url.searchParams.get("lang");
  if (explicit === "ja" || explicit === "en") return explicit;
  const accept = request.req.headers["accept-language"] ?? "";
  const first = accept.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("ja") ? "ja" : "en";
}

function renderRules(lang: Lang, rules: PolicyRuleDescription[]): string {
  return `<ul>${rules
    .map(
      (rule) =>
        `<li>${escapeHtml(TEXT[lang].rule(rule))}${rule.items ? renderRules(lang, rule.items) : ""}</li>`,
    )
    .join("")}</ul>`;
}

function page(lang: Lang, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(TEXT[lang].title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1f2937}label{display:block;margin-top:1rem;font-weight:600}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}button{margin-top:1.5rem;padding:.6rem 1rem;font-size:1rem}.error{color:#b91c1c}.notice{padding:1rem;border:1px solid #d1d5db;border-radius:.5rem}</style></head>
<body><main><h1>${escapeHtml(TEXT[lang].title)}</h1>${body}</main></body></html>`;
}

function renderForm(context: TenantContext, link: ResetLink, lang: Lang, error?: string): string {
  const user = context.store.users.get(link.user_id);
  const connection = context.store.connectionByName(link.connection);
  const rules = connection ? describePolicy(connection) : [];
  const t = TEXT[lang];
  return page(
    lang,
    `<p>${escapeHtml(t.intro(user?.email ?? ""))}</p>
${error ? `<p class="error" role="alert" id="form-error">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/u/reset-password?ticket=${encodeURIComponent(link.id)}&amp;lang=${lang}">
<input type="hidden" name="ticket" value="${escapeHtml(link.id)}"><input type="hidden" name="lang" value="${lang}">
<label for="new-password">${escapeHtml(t.newPassword)}</label>
<input id="new-password" name="newPassword" type="password" autocomplete="new-password" required aria-describedby="password-rules${error ? " form-error" : ""}">
<label for="confirm-password">${escapeHtml(t.confirm)}</label>
<input id="confirm-password" name="confirmNewPassword" type="password" autocomplete="new-password" required>
<section id="password-rules"><p>${escapeHtml(t.rules)}</p>${renderRules(lang, rules)}</section>
<button type="submit">${escapeHtml(t.submit)}</button></form>`,
  );
}

function renderState(lang: Lang, state: Exclude<LinkState, "valid">): string {
  return page(
    lang,
    `<p class="notice" role="alert" data-state="${state}">${escapeHtml(TEXT[lang].states[state])}</p>`,
  );
}

/** GET /u/reset-password?ticket=… */
export async function resetPageGet(request: RouteRequest): Promise<void> {
  const lang = languageOf(request);
  const { state, link } = linkState(request.context, request.url.searchParams.get("ticket"));
  if (state !== "valid" || !link) {
    sendHtml(
      request.res,
      state === "unknown" ? 404 : 410,
      renderState(lang, state === "valid" ? "unknown" : state),
    );
    return;
  }
  sendHtml(request.res, 200, renderForm(request.context, link, lang));
}

/** POST /u/reset-password — applies the new password with the same rules as the Management API. */
export async function resetPagePost(request: RouteRequest): Promise<void> {
  const { context, res } = request;
  const form = new URLSearchParams(await readRawBody(request.req));
  const lang = languageOf(request, form.get("lang"));
  const ticket = form.get("ticket") ?? request.url.searchParams.get("ticket");
  const { state, link } = linkState(context, ticket);
  if (state !== "valid" || !link) {
    sendHtml(res, state === "unknown" ? 404 : 410, renderState(lang, state === "valid" ? "unknown" : state));
    return;
  }
  const password = form.get("newPassword") ?? "";
  const confirmation = form.get("confirmNewPassword") ?? "";
  const t = TEXT[lang];
  if (password === "") {
    sendHtml(res, 400, renderForm(context, link, lang, t.required));
    return;
  }
  if (password !== confirmation) {
    sendHtml(res, 400, renderForm(context, link, lang, t.mismatch));
    return;
  }
  const user = context.store.users.get(link.user_id);
  const connection = context.store.connectionByName(link.connection);
  if (!user || !connection) {
    sendHtml(res, 404, renderState(lang, "unknown"));
    return;
  }
  const logBase = {
    ip: request.ip,
    user_id: user.user_id,
    ...(user.email === undefined ? {} : { user_name: user.email }),
    connection: connection.name,
    connection_id: connection.id,
    ...(link.client_id === undefined ? {} : { client_id: link.client_id }),
  };
  try {
    const updated = await changePassword(context, user, connection, password, { clearBlocked: false });
    if (link.mark_email_as_verified && !updated.email_verified) {
      context.store.putUser({ ...updated, email_verified: true, updated_at: nowIso() });
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    writeLog(context, { ...logBase, type: "fcp", description: error.message });
    const kind = error.message.split(":")[0] ?? "";
    sendHtml(res, 400, renderForm(context, link, lang, t.policy[kind] ?? error.message));
    return;
  }
  markLinkUsed(context, link);
  writeLog(context, {
    ...logBase,
    type: "scp",
    description: "Successful change password",
    details: { via: link.kind === "ticket" ? "ticket" : "email" },
  });
  if (link.result_url) {
    const target = new URL(link.result_url);
    if (link.include_email_in_redirect && user.email) target.searchParams.set("email", user.email);
    target.searchParams.set("success", "true");
    res.writeHead(302, { Location: target.toString(), "Cache-Control": "no-store" });
    res.end();
    return;
  }
  sendHtml(
    res,
    200,
    page(
      lang,
      `<p class="notice" role="status" data-state="done"><strong>${escapeHtml(t.done)}</strong><br>${escapeHtml(t.doneDetail)}</p>`,
    ),
  );
}
