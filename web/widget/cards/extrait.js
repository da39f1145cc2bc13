// A passage of an official document (contracts.md §4 `extrait`): title, section, quote, link.
import { el, str } from "../dom.js";
import { L } from "../labels.js";
import { card, humanTitle, sourceLine } from "./source.js";

export function renderExtrait(c) {
  const box = card("extrait", humanTitle(c) || L.extraitTitle);
  if (c.section) box.appendChild(el("p", "cvsw-card-meta", str(c.section)));
  if (c.texte) {
    const q = el("blockquote", "cvsw-quote", str(c.texte));
    box.appendChild(q);
  }
  const src = sourceLine([c]);
  if (src) box.appendChild(src);
  return box;
}
