// One renderer per card type of contracts.md §4 (+ `fiche`). ctx.action(label, payload, shown, cls)
// makes a button that sends a payload.
import { renderAmbitions } from "./ambitions.js";
import { renderCalendrier } from "./calendrier.js";
import { renderChoix } from "./choix.js";
import { renderContacts } from "./contacts.js";
import { renderEligibilite } from "./eligibilite.js";
import { renderExtrait } from "./extrait.js";
import { renderFiche } from "./fiche.js";
import { renderQpv } from "./qpv.js";

export const CARDS = {
  contacts: renderContacts,
  choix_quartier: renderChoix,
  ambitions: renderAmbitions,
  eligibilite: renderEligibilite,
  calendrier: renderCalendrier,
  qpv: renderQpv,
  fiche: renderFiche,
  extrait: renderExtrait
};

// Cards that draw their own buttons: the buttons of the text they replace are not shown either.
export const CARDS_WITH_ACTIONS = ["choix_quartier", "ambitions"];

export function isCard(custom) {
  return !!custom && typeof custom === "object" && Object.prototype.hasOwnProperty.call(CARDS, custom.type);
}

export function renderCard(custom, ctx) {
  return isCard(custom) ? CARDS[custom.type](custom, ctx) : null;
}
