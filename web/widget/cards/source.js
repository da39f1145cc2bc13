// Sources as people read them: `source_titre`, else `titre`; never a file name or a line number.
import { el, link, safeHref, str } from "../dom.js";
import { L } from "../labels.js";

const RAW = /\b[0-9]{3}_[0-9a-f]{8,}\.txt\b|\b[\w-]+\.(?:txt|pdf|csv|ya?ml|json)\b|\(?\bL\.? ?\d+(?:\s*[-–]\s*\d+)?\b\)?|\blignes? \d+/gi;

// The human title of an item, cleaned of anything that looks like a file name or a line range.
export function humanTitle(item) {
  if (!item || typeof item !== "object") return "";
  const raw = str(item.source_titre || item.titre).trim();
  if (!raw) return "";
  return raw.replace(RAW, "").replace(/\(\s*\)/g, "").replace(/\s*,\s*(?=,|$)/g, "")
    .replace(/^\s*[,;:–-]\s*/, "").replace(/\s{2,}/g, " ").trim();
}

export function sourceUrl(item) {
  return item && typeof item === "object" ? safeHref(item.source_url || item.url, ["http", "https"]) : null;
}

// "Source : <title>" (linked to the official page when known), or nothing.
export function sourceLine(items) {
  const seen = new Map();
  items.forEach(function (it) {
    const t = humanTitle(it);
    if (t && !seen.has(t)) seen.set(t, sourceUrl(it));
  });
  if (!seen.size) return null;
  const p = el("p", "cvsw-source", seen.size > 1 ? L.sources : L.source);
  let first = true;
  seen.forEach(function (url, title) {
    if (!first) p.appendChild(document.createTextNode(" ; "));
    first = false;
    p.appendChild(url ? link(url, title, true) : document.createTextNode(title));
  });
  return p;
}

export function card(kind, title) {
  const c = el("div", "cvsw-card cvsw-card-" + kind);
  if (title) c.appendChild(el("h3", "cvsw-card-title", title));
  return c;
}
