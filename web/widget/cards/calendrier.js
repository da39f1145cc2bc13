import { el, frenchDate, link, safeHref, str } from "../dom.js";
import { L } from "../labels.js";
import { card, sourceLine } from "./source.js";

export function renderCalendrier(c) {
  const box = card("calendrier", L.calTitle(c.campagne ? str(c.campagne) : "", c.territoire ? str(c.territoire) : ""));
  const statut = str(c.statut);
  const row = el("div", "cvsw-cal-row");
  const jr = c.jours_restants;
  if (statut === "ouvert" && typeof jr === "number" && isFinite(jr)) {
    const cd = el("p", "cvsw-countdown");
    cd.appendChild(el("span", "cvsw-countdown-value", jr === 0 ? L.dayJ : "J-" + jr));
    cd.appendChild(el("span", "cvsw-countdown-text", jr === 0 ? L.lastDay : L.daysLeft(jr)));
    row.appendChild(cd);
  }
  row.appendChild(el("p", "cvsw-badge cvsw-cal-status cvsw-cal-" + (statut || "inconnu"),
    L.calStatus[statut] || statut || L.calUnknown));
  box.appendChild(row);
  if (c.date_limite) {
    const dl = el("p", "cvsw-deadline");
    dl.appendChild(el("span", null, L.deadline));
    dl.appendChild(el("strong", null, frenchDate(c.date_limite)));
    box.appendChild(dl);
  }
  if (c.resultats) box.appendChild(el("p", null, L.results + str(c.resultats)));
  const href = safeHref(c.plateforme, ["http", "https"]);
  if (href) {
    const p = el("p", "cvsw-cal-link");
    p.appendChild(link(href, L.platform, true));
    box.appendChild(p);
  }
  const src = sourceLine([c]);
  if (src) box.appendChild(src);
  return box;
}
