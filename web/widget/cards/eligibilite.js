import { el, isObject, str } from "../dom.js";
import { L } from "../labels.js";
import { card, sourceLine } from "./source.js";

export function renderEligibilite(c) {
  const box = card("eligibilite", L.eligTitle);
  const verdict = str(c.verdict);
  box.appendChild(el("p", "cvsw-verdict cvsw-verdict-" + (verdict || "inconnu"),
    L.verdicts[verdict] || L.verdictOther(verdict)));
  const list = el("ul", "cvsw-checklist");
  const criteres = (Array.isArray(c.criteres) ? c.criteres : []).filter(isObject);
  criteres.forEach(function (cr) {
    const known = L.criteres[cr.statut] ? cr.statut : "a_verifier";
    const st = L.criteres[known];
    const li = el("li", "cvsw-check cvsw-check-" + known);
    const icon = el("span", "cvsw-check-icon", st.icon);
    icon.setAttribute("aria-hidden", "true");
    li.appendChild(icon);
    const body = el("span", "cvsw-check-body");
    body.appendChild(el("strong", "cvsw-check-status", st.label + " : "));
    body.appendChild(document.createTextNode(str(cr.message)));
    li.appendChild(body);
    list.appendChild(li);
  });
  box.appendChild(list);
  box.appendChild(el("p", "cvsw-card-help", L.eligHelp));
  const src = sourceLine([c].concat(criteres));
  if (src) box.appendChild(src);
  return box;
}
