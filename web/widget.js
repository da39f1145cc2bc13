/*!
 * Widget de discussion « Assistant Contrat de ville » (MEL — Contrat de ville
 * et des solidarités). JavaScript simple, sans dépendance ni étape de build.
 *
 * Intégration (une seule balise) :
 *   <script src="/widget.js" data-server="http://localhost:5005"
 *           data-title="Assistant Contrat de ville" data-color="#005a9c" defer></script>
 *
 * Ou par programme : window.CVSWidget.init({ server: "...", title: "..." }).
 *
 * Sécurité : tout texte venant du serveur ou de l'utilisateur est inséré avec
 * textContent ; aucun innerHTML de données. Les liens ne sont créés que pour
 * les schémas http, https, mailto et tel.
 */
(function () {
  "use strict";

  var VERSION = "1.0.0";
  var STORAGE_PREFIX = "cvsw:v1:";
  var MAX_STORED_MESSAGES = 200;
  var ERROR_TEXT = "Le service ne répond pas. Vérifiez votre connexion puis réessayez.";
  var EMPTY_REPLY_TEXT = "Je n'ai pas de réponse à vous donner. Pouvez-vous reformuler votre question ?";

  var DEFAULTS = {
    server: "http://localhost:5005",
    title: "Assistant Contrat de ville",
    subtitle: "Métropole Européenne de Lille",
    color: "#005a9c",
    today: null, // ISO YYYY-MM-DD, envoyé dans metadata.today (démos, tests)
    open: false, // ouvert au chargement (si l'utilisateur ne l'a pas fermé)
    css: null, // URL de la feuille de style ; "none" pour ne rien charger
    timeout: 30000, // ms avant de considérer que le service ne répond pas
    storageKey: null, // clé localStorage (par défaut : dérivée du serveur)
    container: null, // élément hôte (par défaut : document.body)
    launcherLabel: "Poser une question",
    welcome:
      "Bonjour ! Je réponds à vos questions sur le Contrat de ville et des solidarités " +
      "de la Métropole Européenne de Lille : qui contacter, date limite de dépôt, " +
      "ambitions, éligibilité de votre projet.",
    suggestions: [
      { title: "Qui contacter pour mon quartier ?", payload: "Qui contacter pour mon quartier ?" },
      { title: "Quelle est la date limite ?", payload: "Quelle est la date limite de dépôt ?" },
      { title: "Quelle ambition pour mon projet ?", payload: "Quelle ambition pour mon projet ?" }
    ]
  };

  var ROLE_LABELS = {
    ville: "Ville",
    delegue_prefet: "Délégué(e) du préfet",
    region: "Région",
    mel: "MEL",
    prefecture: "Préfecture",
    autre: "Autre"
  };

  var ENJEU_LABELS = {
    1: "Réussite éducative et inégalités dès l'enfance",
    2: "Accès à l'emploi",
    3: "Accès aux soins et prévention",
    4: "Vivre ensemble : cadre de vie, sécurité, habitat",
    5: "Transition écologique solidaire",
    6: "Isolement, accès aux droits, lutte contre les discriminations"
  };

  var CRITERE_STATUS = {
    ok: { icon: "✓", label: "Conforme" },
    ko: { icon: "✗", label: "Non conforme" },
    a_verifier: { icon: "?", label: "À vérifier" }
  };

  var VERDICT_LABELS = {
    eligible: "Votre projet semble éligible",
    non_eligible: "Votre projet ne semble pas éligible",
    incomplet: "Informations à compléter"
  };

  var CAL_STATUS = {
    ouvert: "Appel à projets ouvert",
    clos: "Dépôt clos",
    non_publie: "Appel à projets pas encore publié"
  };

  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
    "août", "septembre", "octobre", "novembre", "décembre"];
  var WEEKDAYS = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];

  // The script element that loaded us: read once, while it is "current".
  var currentScript = document.currentScript || (function () {
    var all = document.getElementsByTagName("script");
    for (var i = all.length - 1; i >= 0; i--) {
      if (/widget\.js(\?|#|$)/.test(all[i].src || "")) return all[i];
    }
    return null;
  })();

  /* ------------------------------------------------------------------ */
  /* Small helpers                                                       */
  /* ------------------------------------------------------------------ */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function srOnly(text) {
    return el("span", "cvsw-sr-only", text);
  }

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  function str(v) {
    return v === null || v === undefined ? "" : String(v);
  }

  function safeHref(url, schemes) {
    var s = str(url).trim();
    if (!s) return null;
    var m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
    if (!m) return null;
    return schemes.indexOf(m[1].toLowerCase()) >= 0 ? s : null;
  }

  function link(href, text, external) {
    var a = el("a", "cvsw-link", text);
    a.href = href;
    if (external) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(srOnly(" (nouvelle fenêtre)"));
    }
    return a;
  }

  // Speech-bubble icon drawn in SVG (emoji fonts are not everywhere).
  function bubbleIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "cvsw-launcher-icon");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "24");
    svg.setAttribute("height", "24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z");
    svg.appendChild(path);
    return svg;
  }

  function newSenderId() {
    var rnd = "";
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      rnd = window.crypto.randomUUID();
    } else if (window.crypto && window.crypto.getRandomValues) {
      var b = new Uint8Array(16);
      window.crypto.getRandomValues(b);
      for (var i = 0; i < b.length; i++) rnd += ("0" + b[i].toString(16)).slice(-2);
    } else {
      rnd = Date.now().toString(36) + Math.random().toString(36).slice(2);
    }
    return "web-" + rnd;
  }

  function parseIsoDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(str(s));
    if (!m) return null;
    return { y: +m[1], m: +m[2], d: +m[3] };
  }

  // "mercredi 15 octobre 2025" (computed by hand: no dependency on Intl data).
  function frenchDate(iso) {
    var p = parseIsoDate(iso);
    if (!p || p.m < 1 || p.m > 12) return str(iso);
    var wd = new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay();
    return WEEKDAYS[wd] + " " + (p.d === 1 ? "1er" : String(p.d)) + " " + MONTHS[p.m - 1] + " " + p.y;
  }

  function parseColor(c) {
    var s = str(c).trim();
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(s);
    if (!m) return null;
    var h = m[1];
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }

  function luminance(rgb) {
    var a = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2];
  }

  function contrast(rgb1, rgb2) {
    var l1 = luminance(rgb1), l2 = luminance(rgb2);
    return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  }

  function toBool(v, dflt) {
    if (v === undefined || v === null || v === "") return dflt;
    if (typeof v === "boolean") return v;
    return !/^(false|0|non|no|off)$/i.test(String(v));
  }

  /* ------------------------------------------------------------------ */
  /* Storage (localStorage, with an in-memory fallback)                  */
  /* ------------------------------------------------------------------ */

  function makeStore(key) {
    var memory = null;
    return {
      load: function () {
        try {
          var raw = window.localStorage.getItem(key);
          return raw ? JSON.parse(raw) : null;
        } catch (e) {
          return memory;
        }
      },
      save: function (state) {
        memory = state;
        try {
          window.localStorage.setItem(key, JSON.stringify(state));
        } catch (e) { /* quota or storage disabled: keep in memory */ }
      },
      clear: function () {
        memory = null;
        try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
      }
    };
  }

  /* ------------------------------------------------------------------ */
  /* Text rendering: plain text, URLs and e-mails made into links,       */
  /* **bold** kept as <strong>. Built node by node, never with innerHTML. */
  /* ------------------------------------------------------------------ */

  var TOKEN_RE = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]])|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|\*\*([^*\n]+)\*\*/g;

  function appendRichText(parent, text) {
    var s = str(text);
    var last = 0;
    var m;
    TOKEN_RE.lastIndex = 0;
    while ((m = TOKEN_RE.exec(s)) !== null) {
      if (m.index > last) parent.appendChild(document.createTextNode(s.slice(last, m.index)));
      if (m[1]) {
        parent.appendChild(link(m[1], m[1], true));
      } else if (m[2]) {
        parent.appendChild(link("mailto:" + m[2], m[2], false));
      } else if (m[3]) {
        parent.appendChild(el("strong", null, m[3]));
      }
      last = TOKEN_RE.lastIndex;
    }
    if (last < s.length) parent.appendChild(document.createTextNode(s.slice(last)));
  }

  /* ------------------------------------------------------------------ */
  /* The widget                                                          */
  /* ------------------------------------------------------------------ */

  function Widget(options) {
    this.opts = options;
    this.server = str(options.server).replace(/\/+$/, "");
    this.store = makeStore(options.storageKey || STORAGE_PREFIX + this.server);
    this.queue = Promise.resolve();
    this.pending = 0;
    this.generation = 0;
    this.destroyed = false;
    var saved = this.store.load();
    if (saved && saved.sender && Array.isArray(saved.messages)) {
      this.state = saved;
    } else {
      this.state = { sender: newSenderId(), messages: [], open: null };
    }
    this.build();
    this.renderHistory();
    var open = this.state.open === null || this.state.open === undefined ? options.open : this.state.open;
    if (open) this.open(false);
  }

  Widget.prototype.save = function () {
    if (this.state.messages.length > MAX_STORED_MESSAGES) {
      this.state.messages = this.state.messages.slice(-MAX_STORED_MESSAGES);
    }
    this.store.save(this.state);
  };

  Widget.prototype.build = function () {
    var self = this;
    var o = this.opts;
    var root = el("div", "cvsw");
    root.setAttribute("lang", "fr");
    this.root = root;
    this.applyColor(o.color);

    // Launcher
    var launcher = el("button", "cvsw-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "cvsw-panel");
    launcher.appendChild(bubbleIcon());
    launcher.appendChild(el("span", "cvsw-launcher-text", o.launcherLabel));
    launcher.addEventListener("click", function () { self.toggle(); });
    this.launcher = launcher;

    // Panel: a non-modal dialog, named by its title.
    var panel = el("section", "cvsw-panel");
    panel.id = "cvsw-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "cvsw-title");
    panel.setAttribute("aria-describedby", "cvsw-subtitle");
    panel.hidden = true;
    this.panel = panel;

    var header = el("div", "cvsw-header");
    var titles = el("div", "cvsw-titles");
    var h = el("h2", "cvsw-title", o.title);
    h.id = "cvsw-title";
    var sub = el("p", "cvsw-subtitle", o.subtitle);
    sub.id = "cvsw-subtitle";
    titles.appendChild(h);
    titles.appendChild(sub);
    header.appendChild(titles);

    var closeBtn = el("button", "cvsw-btn cvsw-close");
    closeBtn.type = "button";
    closeBtn.setAttribute("aria-label", "Fermer l'assistant");
    closeBtn.title = "Fermer l'assistant";
    var closeIcon = el("span", null, "×");
    closeIcon.setAttribute("aria-hidden", "true");
    closeBtn.appendChild(closeIcon);
    closeBtn.addEventListener("click", function () { self.close(true); });
    this.closeBtn = closeBtn;
    header.appendChild(closeBtn);

    // Second header row: conversation tools (after the close button, as displayed).
    var tools = el("div", "cvsw-tools");
    var resetBtn = el("button", "cvsw-btn cvsw-reset");
    resetBtn.type = "button";
    var resetIcon = el("span", "cvsw-reset-icon", "↺");
    resetIcon.setAttribute("aria-hidden", "true");
    resetBtn.appendChild(resetIcon);
    resetBtn.appendChild(el("span", "cvsw-reset-text", "Nouvelle conversation"));
    resetBtn.addEventListener("click", function () { self.reset(); });
    this.resetBtn = resetBtn;
    tools.appendChild(resetBtn);
    header.appendChild(tools);
    panel.appendChild(header);

    // Message log: announced politely by screen readers. Focusable because it scrolls.
    var log = el("div", "cvsw-log");
    log.id = "cvsw-log";
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
    log.setAttribute("aria-label", "Conversation avec l'assistant");
    log.tabIndex = 0;
    this.log = log;
    panel.appendChild(log);

    // Typing indicator (outside the log so that it is not kept in the history).
    var typing = el("div", "cvsw-typing");
    typing.setAttribute("role", "status");
    typing.hidden = true;
    this.typing = typing;
    panel.appendChild(typing);

    // Input form
    var form = el("form", "cvsw-form");
    form.setAttribute("novalidate", "");
    var label = el("label", "cvsw-sr-only", "Votre message à l'assistant");
    label.htmlFor = "cvsw-input";
    var input = el("input", "cvsw-input");
    input.id = "cvsw-input";
    input.type = "text";
    input.name = "message";
    input.autocomplete = "off";
    input.maxLength = 2000;
    input.placeholder = "Écrivez votre question…";
    input.setAttribute("enterkeyhint", "send");
    this.input = input;
    var send = el("button", "cvsw-btn cvsw-send");
    send.type = "submit";
    send.setAttribute("aria-label", "Envoyer le message");
    send.title = "Envoyer";
    var sendIcon = el("span", "cvsw-send-icon", "➤");
    sendIcon.setAttribute("aria-hidden", "true");
    send.appendChild(sendIcon);
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = input.value.trim();
      if (!text) { input.focus(); return; }
      input.value = "";
      self.send(text, text);
      input.focus();
    });
    panel.appendChild(form);

    // Escape closes from anywhere in the widget (panel or launcher).
    root.addEventListener("keydown", function (ev) {
      if ((ev.key === "Escape" || ev.key === "Esc") && self.isOpen()) {
        ev.preventDefault();
        self.close(true);
      }
    });

    root.appendChild(panel);
    root.appendChild(launcher);
    (o.container || document.body).appendChild(root);
  };

  Widget.prototype.applyColor = function (color) {
    var rgb = parseColor(color) || parseColor(DEFAULTS.color);
    var white = [255, 255, 255], black = [0, 0, 0];
    var onColor = contrast(rgb, white) >= contrast(rgb, black) ? "#ffffff" : "#000000";
    // Links and accents on white need 4.5:1; fall back to the default blue otherwise.
    var accent = contrast(rgb, white) >= 4.5 ? "#" + rgb.map(function (v) {
      return ("0" + v.toString(16)).slice(-2);
    }).join("") : "#005a9c";
    var main = "#" + rgb.map(function (v) { return ("0" + v.toString(16)).slice(-2); }).join("");
    this.root.style.setProperty("--cvsw-color", main);
    this.root.style.setProperty("--cvsw-on-color", onColor);
    this.root.style.setProperty("--cvsw-accent", accent);
  };

  /* ---------------- open / close ---------------- */

  Widget.prototype.isOpen = function () {
    return !this.panel.hidden;
  };

  Widget.prototype.open = function (focus) {
    this.panel.hidden = false;
    this.root.classList.add("cvsw-is-open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.state.open = true;
    this.save();
    this.scrollToEnd();
    if (focus !== false) this.input.focus();
  };

  Widget.prototype.close = function (returnFocus) {
    this.panel.hidden = true;
    this.root.classList.remove("cvsw-is-open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.state.open = false;
    this.save();
    if (returnFocus !== false) this.launcher.focus();
  };

  Widget.prototype.toggle = function () {
    if (this.isOpen()) this.close(true); else this.open(true);
  };

  /* ---------------- history ---------------- */

  Widget.prototype.renderHistory = function () {
    this.log.textContent = "";
    this.renderWelcome();
    for (var i = 0; i < this.state.messages.length; i++) {
      this.renderMessage(this.state.messages[i]);
    }
    this.scrollToEnd();
  };

  Widget.prototype.renderWelcome = function () {
    var o = this.opts;
    if (!o.welcome && !(o.suggestions && o.suggestions.length)) return;
    this.renderMessage({ from: "bot", text: o.welcome, buttons: o.suggestions || [], welcome: true });
  };

  Widget.prototype.addMessage = function (msg) {
    this.state.messages.push(msg);
    this.save();
    var node = this.renderMessage(msg);
    this.scrollToEnd();
    return node;
  };

  Widget.prototype.scrollToEnd = function () {
    var log = this.log;
    log.scrollTop = log.scrollHeight;
  };

  Widget.prototype.renderMessage = function (msg) {
    var row = el("div", "cvsw-row cvsw-row-" + (msg.from === "user" ? "user" : "bot"));
    if (msg.welcome) row.classList.add("cvsw-welcome");
    var who = msg.from === "user" ? "Vous : " : "Assistant : ";
    if (msg.custom !== undefined) {
      var card = this.renderCustom(msg.custom);
      if (!card) return null;
      row.appendChild(srOnly(who));
      row.appendChild(card);
    } else {
      if (msg.text) {
        var bubble = el("div", "cvsw-msg cvsw-msg-" + (msg.from === "user" ? "user" : "bot"));
        bubble.appendChild(srOnly(who));
        if (msg.from === "user") {
          bubble.appendChild(document.createTextNode(str(msg.text)));
        } else {
          appendRichText(bubble, msg.text);
        }
        row.appendChild(bubble);
      }
      if (msg.image) {
        var img = safeHref(msg.image, ["http", "https"]);
        if (img) row.appendChild(link(img, "Voir l'image", true));
      }
      if (Array.isArray(msg.buttons) && msg.buttons.length) {
        row.appendChild(this.renderButtons(msg.buttons));
      }
    }
    if (!row.childNodes.length) return null;
    this.log.appendChild(row);
    return row;
  };

  Widget.prototype.renderButtons = function (buttons) {
    var self = this;
    var group = el("div", "cvsw-suggestions");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Suggestions de réponse");
    buttons.forEach(function (b) {
      if (!isObject(b)) return;
      var title = str(b.title || b.payload);
      var payload = str(b.payload || b.title);
      if (!title || !payload) return;
      var btn = el("button", "cvsw-chip", title);
      btn.type = "button";
      btn.addEventListener("click", function () {
        self.send(payload, title);
        self.input.focus();
      });
      group.appendChild(btn);
    });
    return group;
  };

  Widget.prototype.actionButton = function (label, payload, shown, extraClass) {
    var self = this;
    var btn = el("button", "cvsw-chip" + (extraClass ? " " + extraClass : ""), label);
    btn.type = "button";
    btn.addEventListener("click", function () {
      self.send(payload, shown || label);
      self.input.focus();
    });
    return btn;
  };

  /* ---------------- cards ---------------- */

  Widget.prototype.renderCustom = function (c) {
    if (!isObject(c)) return null;
    switch (c.type) {
      case "contacts": return this.cardContacts(c);
      case "choix_quartier": return this.cardChoixQuartier(c);
      case "ambitions": return this.cardAmbitions(c);
      case "eligibilite": return this.cardEligibilite(c);
      case "calendrier": return this.cardCalendrier(c);
      case "qpv": return this.cardQpv(c);
      case "fiche": return this.cardFiche(c);
      default:
        // Unknown structured payload: show its text if it has one, else nothing.
        if (typeof c.text === "string" && c.text) {
          var b = el("div", "cvsw-msg cvsw-msg-bot");
          appendRichText(b, c.text);
          return b;
        }
        return null;
    }
  };

  function card(kind, title) {
    var c = el("div", "cvsw-card cvsw-card-" + kind);
    if (title) c.appendChild(el("h3", "cvsw-card-title", title));
    return c;
  }

  Widget.prototype.cardContacts = function (c) {
    var place = [];
    if (isObject(c.commune) && c.commune.nom) place.push(str(c.commune.nom));
    if (isObject(c.quartier) && c.quartier.nom) place.push(str(c.quartier.nom));
    var box = card("contacts", "Contacts" + (place.length ? " — " + place.join(" · ") : ""));
    var meta = el("p", "cvsw-card-meta");
    if (c.campagne) meta.appendChild(el("span", "cvsw-badge cvsw-badge-info", "Campagne " + str(c.campagne)));
    if (c.territoire) meta.appendChild(el("span", "cvsw-meta-text", str(c.territoire)));
    if (isObject(c.quartier) && c.quartier.code) {
      meta.appendChild(el("span", "cvsw-meta-text", "QPV " + str(c.quartier.code)));
    }
    if (meta.childNodes.length) box.appendChild(meta);

    var list = el("ul", "cvsw-contacts");
    var contacts = Array.isArray(c.contacts) ? c.contacts : [];
    contacts.forEach(function (p) {
      if (!isObject(p)) return;
      var li = el("li", "cvsw-contact");
      var head = el("p", "cvsw-contact-head");
      head.appendChild(el("span", "cvsw-badge cvsw-badge-role", ROLE_LABELS[p.role] || str(p.role) || "Autre"));
      if (p.statut === "vacant") head.appendChild(el("span", "cvsw-badge cvsw-badge-vacant", "Poste vacant"));
      li.appendChild(head);
      var name = p.nom ? str(p.nom) : (p.statut === "vacant" ? "En attente de recrutement" : "");
      if (name) li.appendChild(el("p", "cvsw-contact-name", name));
      if (p.structure) li.appendChild(el("p", "cvsw-contact-org", str(p.structure)));
      var ways = el("p", "cvsw-contact-ways");
      var email = str(p.email).trim();
      if (email && /^[^\s@]+@[^\s@]+$/.test(email)) {
        var mail = link("mailto:" + email, email, false);
        mail.classList.add("cvsw-mailto");
        ways.appendChild(mail);
      }
      var tel = str(p.telephone).trim();
      if (tel) {
        var telHref = "tel:" + tel.replace(/[^0-9+]/g, "");
        if (telHref.length > 4) {
          if (ways.childNodes.length) ways.appendChild(document.createTextNode(" · "));
          var t = link(telHref, tel, false);
          t.classList.add("cvsw-tel");
          ways.appendChild(t);
        }
      }
      if (ways.childNodes.length) li.appendChild(ways);
      if (p.source) li.appendChild(el("p", "cvsw-source", "Source : " + str(p.source)));
      list.appendChild(li);
    });
    if (list.childNodes.length) {
      box.appendChild(list);
    } else {
      box.appendChild(el("p", null, "Aucun contact enregistré pour ce lieu."));
    }
    return box;
  };

  Widget.prototype.cardChoixQuartier = function (c) {
    var self = this;
    var commune = isObject(c.commune) && c.commune.nom ? str(c.commune.nom) : "";
    var box = card("choix", "Quel quartier" + (commune ? " à " + commune : "") + " ?");
    box.appendChild(el("p", "cvsw-card-help", "Les contacts dépendent du quartier. Choisissez le vôtre :"));
    var group = el("div", "cvsw-suggestions");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Quartiers" + (commune ? " de " + commune : ""));
    (Array.isArray(c.options) ? c.options : []).forEach(function (opt) {
      if (!isObject(opt) || !opt.nom) return;
      var nom = str(opt.nom);
      var payload = "/informer_lieu" + JSON.stringify({ lieu: nom });
      group.appendChild(self.actionButton(nom, payload, nom));
    });
    box.appendChild(group);
    return box;
  };

  Widget.prototype.cardAmbitions = function (c) {
    var self = this;
    var items = Array.isArray(c.items) ? c.items : [];
    var box = card("ambitions", "Ambitions du contrat qui correspondent");
    if (c.aucune || !items.length) {
      box.appendChild(el("p", null,
        "Aucune ambition ne correspond clairement à cette description. Précisez votre projet " +
        "(public, quartier, activité) ou parlez-en à votre chef de projet politique de la ville."));
      return box;
    }
    var list = el("ol", "cvsw-ambitions");
    items.forEach(function (it) {
      if (!isObject(it)) return;
      var id = str(it.id);
      var li = el("li", "cvsw-ambition");
      var head = el("p", "cvsw-ambition-head");
      head.appendChild(el("span", "cvsw-badge cvsw-badge-info", "Ambition " + id));
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("strong", "cvsw-ambition-label", str(it.libelle)));
      li.appendChild(head);
      var enjeu = it.enjeu !== undefined && it.enjeu !== null ? it.enjeu : id.split(".")[0];
      if (enjeu) {
        var en = ENJEU_LABELS[enjeu];
        li.appendChild(el("p", "cvsw-ambition-enjeu", "Enjeu " + str(enjeu) + (en ? " : " + en : "")));
      }
      if (Array.isArray(it.termes) && it.termes.length) {
        li.appendChild(el("p", "cvsw-ambition-why", "Pourquoi : " + it.termes.map(str).join(", ")));
      }
      if (id) {
        var payload = "/demander_detail_ambition" + JSON.stringify({ ambition_id: id });
        li.appendChild(self.actionButton("Lire l'ambition " + id + " en entier", payload,
          "Lire l'ambition " + id + " en entier", "cvsw-chip-small"));
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  };

  Widget.prototype.cardEligibilite = function (c) {
    var box = card("eligibilite", "Pré-vérification de votre projet");
    var verdict = str(c.verdict);
    var v = el("p", "cvsw-verdict cvsw-verdict-" + (verdict || "inconnu"),
      VERDICT_LABELS[verdict] || ("Résultat : " + verdict));
    box.appendChild(v);
    var list = el("ul", "cvsw-checklist");
    (Array.isArray(c.criteres) ? c.criteres : []).forEach(function (cr) {
      if (!isObject(cr)) return;
      var st = CRITERE_STATUS[cr.statut] || CRITERE_STATUS.a_verifier;
      var li = el("li", "cvsw-check cvsw-check-" + (CRITERE_STATUS[cr.statut] ? cr.statut : "a_verifier"));
      var icon = el("span", "cvsw-check-icon", st.icon);
      icon.setAttribute("aria-hidden", "true");
      li.appendChild(icon);
      var body = el("span", "cvsw-check-body");
      body.appendChild(el("strong", "cvsw-check-status", st.label + " : "));
      body.appendChild(document.createTextNode(str(cr.message)));
      li.appendChild(body);
      list.appendChild(li);
    });
    box.appendChild(list);
    box.appendChild(el("p", "cvsw-card-help",
      "Cette pré-vérification ne remplace pas l'instruction de votre dossier."));
    return box;
  };

  Widget.prototype.cardCalendrier = function (c) {
    var title = "Calendrier" + (c.campagne ? " — campagne " + str(c.campagne) : "") +
      (c.territoire ? " (" + str(c.territoire) + ")" : "");
    var box = card("calendrier", title);
    var statut = str(c.statut);
    var row = el("div", "cvsw-cal-row");
    var jr = c.jours_restants;
    if (statut === "ouvert" && typeof jr === "number" && isFinite(jr)) {
      var cd = el("p", "cvsw-countdown");
      cd.appendChild(el("span", "cvsw-countdown-value", jr === 0 ? "Jour J" : "J-" + jr));
      cd.appendChild(el("span", "cvsw-countdown-text",
        jr === 0 ? "dernier jour pour déposer" : (jr === 1 ? "1 jour restant" : jr + " jours restants")));
      row.appendChild(cd);
    }
    row.appendChild(el("p", "cvsw-badge cvsw-cal-status cvsw-cal-" + (statut || "inconnu"),
      CAL_STATUS[statut] || statut || "Statut inconnu"));
    box.appendChild(row);
    if (c.date_limite) {
      var dl = el("p", "cvsw-deadline");
      dl.appendChild(el("span", null, "Date limite de dépôt : "));
      dl.appendChild(el("strong", null, frenchDate(c.date_limite)));
      box.appendChild(dl);
    }
    if (c.resultats) box.appendChild(el("p", null, "Résultats : " + str(c.resultats)));
    var href = safeHref(c.plateforme, ["http", "https"]);
    if (href) {
      var p = el("p", "cvsw-cal-link");
      p.appendChild(link(href, "Accéder à la plateforme de dépôt", true));
      box.appendChild(p);
    }
    return box;
  };

  Widget.prototype.cardQpv = function (c) {
    var inQpv = c.en_qpv === true;
    var box = card("qpv", inQpv ? "Dans un quartier prioritaire" : "Hors quartier prioritaire");
    var status = el("p", "cvsw-qpv-status cvsw-check-" + (inQpv ? "ok" : "ko"));
    var icon = el("span", "cvsw-check-icon", inQpv ? "✓" : "✗");
    icon.setAttribute("aria-hidden", "true");
    status.appendChild(icon);
    if (inQpv && isObject(c.quartier)) {
      status.appendChild(document.createTextNode(
        "Quartier : " + str(c.quartier.nom) + (c.quartier.code ? " (" + str(c.quartier.code) + ")" : "")));
    } else {
      status.appendChild(document.createTextNode(
        inQpv ? "Cette adresse est dans un QPV." : "Cette adresse n'est dans aucun QPV connu."));
    }
    box.appendChild(status);
    if (typeof c.distance_frontiere_m === "number" && isFinite(c.distance_frontiere_m)) {
      box.appendChild(el("p", "cvsw-card-help",
        "Distance à la limite du QPV le plus proche : " + Math.round(c.distance_frontiere_m) + "\u00a0m"));
    }
    if (c.a_verifier) {
      var warn = el("p", "cvsw-warning");
      warn.appendChild(el("strong", null, "À vérifier : "));
      warn.appendChild(document.createTextNode("l'adresse est proche d'une limite. Vérifiez sur "));
      warn.appendChild(link("https://sig.ville.gouv.fr/", "SIG Ville", true));
      warn.appendChild(document.createTextNode("."));
      box.appendChild(warn);
    }
    return box;
  };

  Widget.prototype.cardFiche = function (c) {
    var self = this;
    var box = card("fiche", "Fiche de pré-dépôt");
    var text = str(c.texte);
    var pre = el("pre", "cvsw-fiche-text", text);
    pre.tabIndex = 0;
    pre.setAttribute("role", "region");
    pre.setAttribute("aria-label", "Texte de la fiche de pré-dépôt");
    box.appendChild(pre);
    var bar = el("div", "cvsw-fiche-actions");
    var copy = el("button", "cvsw-chip cvsw-copy", "Copier");
    copy.type = "button";
    var status = el("p", "cvsw-copy-status");
    status.setAttribute("role", "status");
    copy.addEventListener("click", function () {
      self.copyText(text, pre).then(function (ok) {
        status.textContent = ok ? "Fiche copiée dans le presse-papiers."
          : "Copie impossible : le texte est sélectionné, copiez-le avec Ctrl+C.";
      });
    });
    bar.appendChild(copy);
    var mail = safeHref(c.mailto, ["mailto"]);
    if (mail) {
      var a = link(mail, "Envoyer par e-mail", false);
      a.className = "cvsw-chip cvsw-mail-btn";
      bar.appendChild(a);
    }
    box.appendChild(bar);
    box.appendChild(status);
    return box;
  };

  Widget.prototype.copyText = function (text, preNode) {
    function fallback() {
      var ta = el("textarea", "cvsw-offscreen");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.setAttribute("aria-hidden", "true");
      ta.tabIndex = -1;
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      if (!ok && preNode && window.getSelection) {
        var range = document.createRange();
        range.selectNodeContents(preNode);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
      return ok;
    }
    if (navigator.clipboard && typeof navigator.clipboard.writeText === "function" && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () {
        return fallback();
      });
    }
    return Promise.resolve(fallback());
  };

  /* ---------------- sending ---------------- */

  Widget.prototype.setTyping = function (on) {
    this.pending += on ? 1 : -1;
    if (this.pending < 0) this.pending = 0;
    var show = this.pending > 0;
    if (show && this.typing.hidden) {
      this.typing.textContent = "";
      var dots = el("span", "cvsw-dots");
      dots.setAttribute("aria-hidden", "true");
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      this.typing.appendChild(dots);
      this.typing.appendChild(el("span", "cvsw-typing-text", "L'assistant écrit…"));
      this.typing.hidden = false;
    } else if (!show && !this.typing.hidden) {
      this.typing.hidden = true;
      this.typing.textContent = "";
    }
  };

  Widget.prototype.clearErrors = function () {
    var errs = this.log.querySelectorAll(".cvsw-row-error");
    for (var i = 0; i < errs.length; i++) errs[i].parentNode.removeChild(errs[i]);
  };

  // Sends `payload` to Rasa; shows `shown` as the user's message.
  Widget.prototype.send = function (payload, shown) {
    payload = str(payload).trim();
    if (!payload) return Promise.resolve();
    if (!this.isOpen()) this.open(false);
    this.clearErrors();
    this.addMessage({ from: "user", text: str(shown || payload), payload: payload });
    return this.post(payload);
  };

  Widget.prototype.post = function (payload) {
    var self = this;
    var gen = this.generation;
    // One request at a time, so that answers come back in order.
    var run = function () {
      if (gen !== self.generation || self.destroyed) return Promise.resolve();
      self.setTyping(true);
      return self.request(payload).then(function (items) {
        self.setTyping(false);
        if (gen !== self.generation || self.destroyed) return;
        self.receive(items);
      }, function () {
        self.setTyping(false);
        if (gen !== self.generation || self.destroyed) return;
        self.showError(payload);
      });
    };
    this.queue = this.queue.then(run, run);
    return this.queue;
  };

  Widget.prototype.request = function (payload) {
    var body = { sender: this.state.sender, message: payload, metadata: {} };
    if (this.opts.today) body.metadata.today = str(this.opts.today);
    var url = this.server + "/webhooks/rest/webhook";
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = null;
    if (controller && this.opts.timeout > 0) {
      timer = setTimeout(function () { controller.abort(); }, this.opts.timeout);
    }
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined,
      credentials: "omit",
      cache: "no-store"
    }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    }).then(function (data) {
      if (timer) clearTimeout(timer);
      if (!Array.isArray(data)) throw new Error("Réponse inattendue");
      return data;
    }, function (err) {
      if (timer) clearTimeout(timer);
      throw err;
    });
  };

  Widget.prototype.receive = function (items) {
    var self = this;
    var shown = 0;
    items.forEach(function (item) {
      if (!isObject(item)) return;
      if (item.custom !== undefined) {
        if (self.addMessage({ from: "bot", custom: item.custom })) shown++;
        // A custom item may also carry text or buttons.
        if (!item.text && !item.buttons) return;
      }
      if (item.text || item.image || (Array.isArray(item.buttons) && item.buttons.length)) {
        var msg = { from: "bot" };
        if (item.text) msg.text = str(item.text);
        if (item.image) msg.image = str(item.image);
        if (Array.isArray(item.buttons)) {
          msg.buttons = item.buttons.filter(isObject).map(function (b) {
            return { title: str(b.title), payload: str(b.payload) };
          });
        }
        if (self.addMessage(msg)) shown++;
      }
    });
    if (!shown) this.addMessage({ from: "bot", text: EMPTY_REPLY_TEXT });
  };

  Widget.prototype.showError = function (payload) {
    var self = this;
    this.clearErrors();
    var row = el("div", "cvsw-row cvsw-row-error");
    var box = el("div", "cvsw-msg cvsw-msg-error");
    var icon = el("span", "cvsw-error-icon", "⚠");
    icon.setAttribute("aria-hidden", "true");
    box.appendChild(icon);
    box.appendChild(el("span", "cvsw-error-text", ERROR_TEXT));
    row.appendChild(box);
    var retry = el("button", "cvsw-chip cvsw-retry", "Réessayer");
    retry.type = "button";
    retry.addEventListener("click", function () {
      self.clearErrors();
      self.post(payload);
      self.input.focus();
    });
    row.appendChild(retry);
    this.log.appendChild(row);
    this.scrollToEnd();
  };

  /* ---------------- reset / destroy ---------------- */

  Widget.prototype.reset = function () {
    this.generation++;
    this.state = { sender: newSenderId(), messages: [], open: this.isOpen() };
    this.save();
    this.pending = 0;
    this.setTyping(false);
    this.renderHistory();
    if (this.isOpen()) this.input.focus();
  };

  Widget.prototype.destroy = function () {
    this.destroyed = true;
    this.generation++;
    if (this.root && this.root.parentNode) this.root.parentNode.removeChild(this.root);
  };

  /* ------------------------------------------------------------------ */
  /* Settings and start-up                                               */
  /* ------------------------------------------------------------------ */

  function settingsFromScript(script) {
    var s = {};
    if (!script) return s;
    var d = script.dataset || {};
    ["server", "title", "subtitle", "color", "today", "css", "storageKey", "launcherLabel", "welcome"]
      .forEach(function (k) { if (d[k] !== undefined) s[k] = d[k]; });
    if (d.open !== undefined) s.open = toBool(d.open, false);
    if (d.timeout !== undefined && !isNaN(+d.timeout)) s.timeout = +d.timeout;
    return s;
  }

  function merge() {
    var out = {};
    for (var i = 0; i < arguments.length; i++) {
      var src = arguments[i];
      if (!isObject(src)) continue;
      for (var k in src) {
        if (Object.prototype.hasOwnProperty.call(src, k) && src[k] !== undefined) out[k] = src[k];
      }
    }
    return out;
  }

  var cssPromise = null;

  function loadCss(href) {
    if (cssPromise) return cssPromise;
    cssPromise = new Promise(function (resolve) {
      if (!href || href === "none") { resolve(); return; }
      var existing = document.querySelector('link[data-cvsw-css]');
      if (existing) { resolve(); return; }
      var l = document.createElement("link");
      l.rel = "stylesheet";
      l.href = href;
      l.setAttribute("data-cvsw-css", "");
      var done = false;
      var finish = function () { if (!done) { done = true; resolve(); } };
      l.onload = finish;
      l.onerror = finish;
      setTimeout(finish, 3000);
      document.head.appendChild(l);
    });
    return cssPromise;
  }

  function defaultCssHref() {
    var src = currentScript && currentScript.src;
    if (!src) return "widget.css";
    try { return new URL("widget.css", src).href; } catch (e) { return "widget.css"; }
  }

  function whenReady(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn, { once: true });
    } else {
      fn();
    }
  }

  var instance = null;

  function init(options) {
    var opts = merge(DEFAULTS, settingsFromScript(currentScript), window.CVSWidgetConfig, options);
    opts.open = toBool(opts.open, false);
    opts.timeout = +opts.timeout || DEFAULTS.timeout;
    var cssHref = opts.css || defaultCssHref();
    return loadCss(cssHref).then(function () {
      return new Promise(function (resolve) {
        whenReady(function () {
          if (instance) instance.destroy();
          instance = new Widget(opts);
          api.instance = instance;
          resolve(api);
        });
      });
    });
  }

  function call(name) {
    return function () {
      if (!instance) return undefined;
      return instance[name].apply(instance, arguments);
    };
  }

  var api = {
    version: VERSION,
    init: init,
    open: call("open"),
    close: call("close"),
    toggle: call("toggle"),
    send: function (text) { return instance ? instance.send(text, text) : undefined; },
    reset: call("reset"),
    destroy: function () { if (instance) { instance.destroy(); instance = null; api.instance = null; } },
    instance: null,
    ready: null
  };
  window.CVSWidget = api;

  // Auto-start from the script tag, unless data-auto="false".
  var autoAttr = currentScript && currentScript.dataset ? currentScript.dataset.auto : undefined;
  if (toBool(autoAttr, true)) {
    api.ready = init();
  }
})();
