import { el, isObject, link, str } from "../dom.js";
import { CONFIG, L } from "../labels.js";
import { card, sourceLine } from "./source.js";

export function renderQpv(c) {
  const inQpv = c.en_qpv === true;
  const box = card("qpv", inQpv ? L.qpvIn : L.qpvOut);
  const status = el("p", "cvsw-qpv-status cvsw-check-" + (inQpv ? "ok" : "ko"));
  const icon = el("span", "cvsw-check-icon", inQpv ? "✓" : "✗");
  icon.setAttribute("aria-hidden", "true");
  status.appendChild(icon);
  if (inQpv && isObject(c.quartier)) {
    status.appendChild(document.createTextNode(L.qpvQuartier(str(c.quartier.nom), c.quartier.code ? str(c.quartier.code) : "")));
  } else {
    status.appendChild(document.createTextNode(inQpv ? L.qpvInText : L.qpvOutText));
  }
  box.appendChild(status);
  if (typeof c.distance_frontiere_m === "number" && isFinite(c.distance_frontiere_m)) {
    box.appendChild(el("p", "cvsw-card-help", L.qpvDistance(Math.round(c.distance_frontiere_m))));
  }
  if (c.a_verifier) {
    const warn = el("p", "cvsw-warning");
    warn.appendChild(el("strong", null, L.qpvCheck));
    warn.appendChild(document.createTextNode(L.qpvCheckText));
    warn.appendChild(link(CONFIG.sigVilleUrl, L.sigVille, true));
    warn.appendChild(document.createTextNode("."));
    box.appendChild(warn);
  }
  const src = sourceLine([c]);
  if (src) box.appendChild(src);
  return box;
}
