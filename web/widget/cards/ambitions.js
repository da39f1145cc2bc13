import { el, isObject, str } from "../dom.js";
import { L } from "../labels.js";
import { card, sourceLine } from "./source.js";

export function renderAmbitions(c, ctx) {
  const items = (Array.isArray(c.items) ? c.items : []).filter(isObject);
  const box = card("ambitions", L.ambitionsTitle);
  if (c.aucune || !items.length) {
    box.appendChild(el("p", null, L.ambitionsNone));
    return box;
  }
  const list = el("ol", "cvsw-ambitions");
  items.forEach(function (it) {
    const id = str(it.id);
    const li = el("li", "cvsw-ambition");
    const head = el("p", "cvsw-ambition-head");
    head.appendChild(el("span", "cvsw-badge cvsw-badge-info", L.ambition(id)));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("strong", "cvsw-ambition-label", str(it.libelle)));
    li.appendChild(head);
    const enjeu = it.enjeu !== undefined && it.enjeu !== null ? it.enjeu : id.split(".")[0];
    if (enjeu) li.appendChild(el("p", "cvsw-ambition-enjeu", L.enjeu(str(enjeu), L.enjeux[enjeu])));
    if (Array.isArray(it.termes) && it.termes.length) {
      li.appendChild(el("p", "cvsw-ambition-why", L.why + it.termes.map(str).join(", ")));
    }
    if (id) {
      li.appendChild(ctx.action(L.ambitionRead(id), "/demander_detail_ambition" + JSON.stringify({ ambition_id: id }),
        L.ambitionRead(id), "cvsw-chip-small"));
    }
    list.appendChild(li);
  });
  box.appendChild(list);
  const src = sourceLine([c].concat(items));
  if (src) box.appendChild(src);
  return box;
}
