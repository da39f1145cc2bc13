import { el, isObject, link, str } from "../dom.js";
import { L } from "../labels.js";
import { card, sourceLine } from "./source.js";

export function renderContacts(c) {
  const place = [];
  if (isObject(c.commune) && c.commune.nom) place.push(str(c.commune.nom));
  if (isObject(c.quartier) && c.quartier.nom) place.push(str(c.quartier.nom));
  const box = card("contacts", L.contacts + (place.length ? " — " + place.join(" · ") : ""));
  const meta = el("p", "cvsw-card-meta");
  if (c.campagne) meta.appendChild(el("span", "cvsw-badge cvsw-badge-info", L.campaign(str(c.campagne))));
  if (c.territoire) meta.appendChild(el("span", "cvsw-meta-text", str(c.territoire)));
  if (isObject(c.quartier) && c.quartier.code) meta.appendChild(el("span", "cvsw-meta-text", "QPV " + str(c.quartier.code)));
  if (meta.childNodes.length) box.appendChild(meta);

  const list = el("ul", "cvsw-contacts");
  const contacts = (Array.isArray(c.contacts) ? c.contacts : []).filter(isObject);
  contacts.forEach(function (p) {
    const li = el("li", "cvsw-contact");
    const head = el("p", "cvsw-contact-head");
    head.appendChild(el("span", "cvsw-badge cvsw-badge-role", L.roles[p.role] || str(p.role) || L.roles.autre));
    if (p.statut === "vacant") head.appendChild(el("span", "cvsw-badge cvsw-badge-vacant", L.vacant));
    li.appendChild(head);
    const name = p.nom ? str(p.nom) : (p.statut === "vacant" ? L.waitingHire : "");
    if (name) li.appendChild(el("p", "cvsw-contact-name", name));
    if (p.structure) li.appendChild(el("p", "cvsw-contact-org", str(p.structure)));
    const ways = el("p", "cvsw-contact-ways");
    const email = str(p.email).trim();
    if (email && /^[^\s@:]+@[^\s@]+$/.test(email)) {
      const mail = link("mailto:" + email, email, false);
      mail.classList.add("cvsw-mailto");
      ways.appendChild(mail);
    }
    const tel = str(p.telephone).trim();
    const telHref = "tel:" + tel.replace(/[^0-9+]/g, "");
    if (tel && telHref.length > 4) {
      if (ways.childNodes.length) ways.appendChild(document.createTextNode(" · "));
      const t = link(telHref, tel, false);
      t.classList.add("cvsw-tel");
      ways.appendChild(t);
    }
    if (ways.childNodes.length) li.appendChild(ways);
    list.appendChild(li);
  });
  if (list.childNodes.length) box.appendChild(list);
  else box.appendChild(el("p", null, L.noContact));
  const src = sourceLine(contacts.length ? contacts : [c]);
  if (src) box.appendChild(src);
  return box;
}

// The address « Écrire à un conseiller » uses: the commune's (ville) contact, else the MEL's.
export function advisorFrom(c) {
  if (!isObject(c) || c.type !== "contacts" || !Array.isArray(c.contacts)) return null;
  const usable = c.contacts.filter(function (p) {
    return isObject(p) && p.statut !== "vacant" && /^[^\s@:]+@[^\s@]+$/.test(str(p.email).trim());
  });
  const ville = usable.filter(function (p) { return p.role === "ville"; })[0];
  const mel = usable.filter(function (p) { return p.role === "mel"; })[0];
  const pick = ville || mel;
  if (!pick) return null;
  return {
    email: str(pick.email).trim(),
    commune: ville && isObject(c.commune) ? str(c.commune.nom) : "",
    mel: !ville
  };
}
