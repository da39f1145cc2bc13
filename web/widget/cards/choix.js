import { el, isObject, str } from "../dom.js";
import { L } from "../labels.js";
import { card } from "./source.js";

export function renderChoix(c, ctx) {
  const commune = isObject(c.commune) && c.commune.nom ? str(c.commune.nom) : "";
  const box = card("choix", L.choixTitle(commune));
  box.appendChild(el("p", "cvsw-card-help", L.choixHelp));
  const group = el("div", "cvsw-suggestions");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", L.choixGroup(commune));
  (Array.isArray(c.options) ? c.options : []).forEach(function (opt) {
    if (!isObject(opt) || !opt.nom) return;
    const nom = str(opt.nom);
    group.appendChild(ctx.action(nom, "/informer_lieu" + JSON.stringify({ lieu: nom }), nom));
  });
  box.appendChild(group);
  return box;
}
