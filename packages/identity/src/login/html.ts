const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** A self-contained page (no external fonts or scripts: the CSP below forbids them). */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Simpul</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;padding:48px 16px;color:#1d2430}
main{max-width:360px;margin:0 auto;background:#fff;border-radius:8px;padding:24px 28px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.25rem;margin:0 0 4px}p.client{color:#5b6472;margin:0 0 20px}
label{display:block;font-size:.9rem;margin:12px 0 4px}input{width:100%;box-sizing:border-box;padding:8px;font-size:1rem;border:1px solid #b8c0cc;border-radius:4px}
button{margin-top:20px;width:100%;padding:10px;font-size:1rem;background:#0b5cad;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fdecea;color:#8a1c12;padding:8px 10px;border-radius:4px;font-size:.9rem}
.note{color:#5b6472;font-size:.8rem;margin-top:16px}
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

/** Headers of every HTML page the IdP renders itself. */
export const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // No form-action: browsers apply it to the redirects after the login post, which end at the client.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;
