import { el, link, safeHref, str } from "../dom.js";
import { L } from "../labels.js";
import { card } from "./source.js";

export function renderFiche(c, ctx) {
  const box = card("fiche", L.ficheTitle);
  const text = str(c.texte);
  const pre = el("pre", "cvsw-fiche-text", text);
  pre.tabIndex = 0;
  pre.setAttribute("role", "region");
  pre.setAttribute("aria-label", L.ficheRegion);
  box.appendChild(pre);
  const bar = el("div", "cvsw-fiche-actions");
  const copy = el("button", "cvsw-chip cvsw-copy", L.copy);
  copy.type = "button";
  const status = el("p", "cvsw-copy-status");
  status.setAttribute("role", "status");
  copy.addEventListener("click", function () {
    copyText(text, pre).then(function (ok) { status.textContent = ok ? L.copied : L.copyFailed; });
  });
  bar.appendChild(copy);
  const mail = safeHref(c.mailto, ["mailto"]);
  if (mail) {
    const a = link(mail, L.mailFiche, false);
    a.className = "cvsw-chip cvsw-mail-btn";
    bar.appendChild(a);
  }
  box.appendChild(bar);
  box.appendChild(status);
  return box;
}

function copyText(text, preNode) {
  function fallback() {
    const ta = el("textarea", "cvsw-offscreen");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.setAttribute("aria-hidden", "true");
    ta.tabIndex = -1;
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    if (!ok && preNode && window.getSelection) {
      const range = document.createRange();
      range.selectNodeContents(preNode);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
    return ok;
  }
  if (navigator.clipboard && typeof navigator.clipboard.writeText === "function" && window.isSecureContext) {
    return navigator.clipboard.writeText(text).then(function () { return true; }, fallback);
  }
  return Promise.resolve(fallback());
}
