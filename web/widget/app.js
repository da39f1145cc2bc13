// The chat window: layout, history, sending, one rendering per answer, feedback, tools.
import { announcer, colorScheme } from "./a11y.js";
import { advisorFrom } from "./cards/contacts.js";
import { CARDS_WITH_ACTIONS, isCard, renderCard } from "./cards/index.js";
import { appendRichText, bubbleIcon, button, el, iconButton, isObject, link, safeHref, srOnly, str, svgIcon, toolButton } from "./dom.js";
import { CONFIG, L } from "./labels.js";
import { makeStore } from "./storage.js";
import { downloadText, mailtoHref, transcript } from "./transcript.js";
import { newSenderId, sendAvis, sendMessage } from "./transport.js";

let counter = 0;
function localId() {
  counter += 1;
  return Date.now().toString(36) + "-" + counter.toString(36);
}

export class Widget {
  constructor(opts) {
    this.opts = opts;
    this.server = str(opts.server).replace(/\/+$/, "");
    this.maxLength = CONFIG.maxMessageLength;
    this.store = makeStore(opts.storageKey || "cvsw:v2:" + this.server, opts.historyHours);
    this.queue = Promise.resolve();
    this.pending = 0;
    this.generation = 0;
    this.destroyed = false;
    const saved = this.store.load();
    this.state = saved || { sender: newSenderId(), messages: [], open: null };
    this.build();
    this.renderHistory();
    const open = this.state.open === null || this.state.open === undefined ? opts.open : this.state.open;
    if (open) this.open(false);
  }

  save() {
    if (this.state.messages.length > CONFIG.maxStoredMessages) {
      this.state.messages = this.state.messages.slice(-CONFIG.maxStoredMessages);
    }
    this.store.save(this.state);
  }

  /* ---------------- layout ---------------- */

  build() {
    const o = this.opts;
    const root = el("div", "cvsw");
    root.setAttribute("lang", "fr");
    this.root = root;
    const colors = colorScheme(o.color, "#005a9c");
    root.style.setProperty("--cvsw-color", colors.main);
    root.style.setProperty("--cvsw-on-color", colors.on);
    root.style.setProperty("--cvsw-accent", colors.accent);

    const launcher = el("button", "cvsw-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "cvsw-panel");
    launcher.appendChild(bubbleIcon());
    launcher.appendChild(el("span", "cvsw-launcher-text", o.launcherLabel));
    launcher.addEventListener("click", () => this.toggle());
    this.launcher = launcher;

    const panel = el("section", "cvsw-panel");
    panel.id = "cvsw-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "cvsw-title");
    panel.setAttribute("aria-describedby", "cvsw-subtitle");
    panel.hidden = true;
    this.panel = panel;

    const header = el("div", "cvsw-header");
    const titles = el("div", "cvsw-titles");
    const h = el("h2", "cvsw-title", o.title);
    h.id = "cvsw-title";
    const sub = el("p", "cvsw-subtitle", o.subtitle);
    sub.id = "cvsw-subtitle";
    titles.appendChild(h);
    titles.appendChild(sub);
    header.appendChild(titles);
    this.closeBtn = iconButton("×", L.close, "cvsw-btn cvsw-close", () => this.close(true));
    header.appendChild(this.closeBtn);

    // Conversation tools, in the order they are displayed.
    const tools = el("div", "cvsw-tools");
    tools.setAttribute("role", "group");
    tools.setAttribute("aria-label", L.tools);
    this.resetBtn = toolButton("↺", L.clear, "cvsw-btn cvsw-tool cvsw-reset", () => this.clear(), L.clearShort);
    this.downloadBtn = toolButton("⤓", L.download, "cvsw-btn cvsw-tool cvsw-download", () => this.download(), L.downloadShort);
    this.printBtn = toolButton(svgIcon("print"), L.print, "cvsw-btn cvsw-tool cvsw-print", () => this.print());
    const advisor = el("a", "cvsw-btn cvsw-tool cvsw-advisor");
    const advIcon = el("span", "cvsw-icon", "✉");
    advIcon.setAttribute("aria-hidden", "true");
    advisor.appendChild(advIcon);
    advisor.appendChild(el("span", "cvsw-tool-text", L.advisor));
    advisor.id = "cvsw-advisor";
    advisor.addEventListener("click", () => this.updateAdvisor());
    this.advisorLink = advisor;
    this.positionBtn = toolButton(svgIcon("position"), L.position, "cvsw-btn cvsw-tool cvsw-position", () => this.usePosition(), L.positionShort);
    this.positionBtn.setAttribute("aria-describedby", "cvsw-position-help");
    [this.resetBtn, this.downloadBtn, this.printBtn, advisor, this.positionBtn].forEach((b) => tools.appendChild(b));
    header.appendChild(tools);
    panel.appendChild(header);

    const log = el("div", "cvsw-log");
    log.id = "cvsw-log";
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
    log.setAttribute("aria-label", "Conversation avec l'assistant");
    log.tabIndex = 0;
    this.log = log;
    panel.appendChild(log);

    const typing = el("div", "cvsw-typing");
    typing.setAttribute("role", "status");
    typing.hidden = true;
    this.typing = typing;
    panel.appendChild(typing);

    panel.appendChild(this.buildForm());

    const footer = el("div", "cvsw-footer");
    const privacy = el("p", "cvsw-privacy", L.privacy(o.historyHours));
    privacy.id = "cvsw-privacy";
    const posHelp = el("p", "cvsw-position-help", L.positionHelp);
    posHelp.id = "cvsw-position-help";
    footer.appendChild(privacy);
    footer.appendChild(posHelp);
    panel.appendChild(footer);
    this.announce = announcer(panel);

    root.addEventListener("keydown", (ev) => {
      if ((ev.key === "Escape" || ev.key === "Esc") && this.isOpen()) {
        ev.preventDefault();
        this.close(true);
      }
    });

    root.appendChild(panel);
    root.appendChild(launcher);
    (o.container || document.body).appendChild(root);
    this.updateAdvisor();
  }

  buildForm() {
    const form = el("form", "cvsw-form");
    form.setAttribute("novalidate", "");
    const label = el("label", "cvsw-sr-only", L.inputLabel);
    label.htmlFor = "cvsw-input";
    // A textarea that grows with its content, up to a few lines (then it scrolls).
    const input = el("textarea", "cvsw-input");
    input.id = "cvsw-input";
    input.name = "message";
    input.rows = 1;
    input.autocomplete = "off";
    input.maxLength = this.maxLength;
    input.placeholder = L.placeholder;
    input.setAttribute("enterkeyhint", "send");
    input.setAttribute("aria-describedby", "cvsw-counter");
    this.input = input;
    const count = el("p", "cvsw-counter", L.counter(0, this.maxLength));
    count.id = "cvsw-counter";
    this.counter = count;
    const send = iconButton("➤", L.send, "cvsw-btn cvsw-send");
    send.type = "submit";
    send.title = L.sendShort;

    const row = el("div", "cvsw-form-row");
    row.appendChild(input);
    row.appendChild(send);
    form.appendChild(label);
    form.appendChild(row);
    form.appendChild(count);

    let wasFull = false;
    const refresh = () => {
      input.style.height = "auto";
      input.style.height = Math.min(input.scrollHeight + 2, 160) + "px";
      const n = input.value.length;
      count.textContent = L.counter(n, this.maxLength);
      const full = n >= this.maxLength;
      count.classList.toggle("cvsw-counter-full", full);
      if (full && !wasFull) this.announce(L.counterFull(this.maxLength));
      wasFull = full;
    };
    this.refreshInput = refresh;
    input.addEventListener("input", refresh);
    // Enter sends, Shift+Enter goes to a new line.
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const text = input.value.trim();
      if (!text) { input.focus(); return; }
      input.value = "";
      refresh();
      this.send(text, text);
      input.focus();
    });
    return form;
  }

  /* ---------------- open / close ---------------- */

  isOpen() { return !this.panel.hidden; }

  open(focus) {
    this.panel.hidden = false;
    this.root.classList.add("cvsw-is-open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.state.open = true;
    this.save();
    this.scrollToEnd();
    if (this.refreshInput) this.refreshInput();
    if (focus !== false) this.input.focus();
  }

  close(returnFocus) {
    this.panel.hidden = true;
    this.root.classList.remove("cvsw-is-open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.state.open = false;
    this.save();
    if (returnFocus !== false) this.launcher.focus();
  }

  toggle() {
    if (this.isOpen()) this.close(true); else this.open(true);
  }

  /* ---------------- history ---------------- */

  renderHistory() {
    this.log.textContent = "";
    const o = this.opts;
    if (o.welcome || (o.suggestions && o.suggestions.length)) {
      this.renderMessage({ from: "bot", text: o.welcome, buttons: o.suggestions || [], welcome: true });
    }
    this.state.messages.forEach((m) => this.renderMessage(m));
    this.scrollToEnd();
  }

  addMessage(msg) {
    msg.at = Date.now();
    this.state.messages.push(msg);
    this.save();
    const node = this.renderMessage(msg);
    this.scrollToEnd();
    return node;
  }

  scrollToEnd() { this.log.scrollTop = this.log.scrollHeight; }

  renderMessage(msg) {
    if (msg.kind === "feedback") return this.renderFeedback(msg);
    const row = el("div", "cvsw-row cvsw-row-" + (msg.from === "user" ? "user" : "bot"));
    if (msg.welcome) row.classList.add("cvsw-welcome");
    const who = msg.from === "user" ? L.you : L.bot;
    if (msg.custom !== undefined) {
      const card = this.opts.cards ? this.renderCustom(msg.custom) : null;
      if (!card) return null;
      row.appendChild(srOnly(who));
      row.appendChild(card);
    } else {
      if (msg.text && !msg.replacedByCard) {
        const bubble = el("div", "cvsw-msg cvsw-msg-" + (msg.from === "user" ? "user" : "bot"));
        bubble.appendChild(srOnly(who));
        if (msg.from === "user") bubble.appendChild(document.createTextNode(str(msg.text)));
        else appendRichText(bubble, msg.text);
        row.appendChild(bubble);
      }
      if (msg.image) {
        const img = safeHref(msg.image, ["http", "https"]);
        if (img) row.appendChild(link(img, "Voir l'image", true));
      }
      if (Array.isArray(msg.buttons) && msg.buttons.length && !msg.buttonsInCard) {
        row.appendChild(this.renderButtons(msg.buttons));
      }
    }
    if (!row.childNodes.length) return null;
    this.log.appendChild(row);
    return row;
  }

  renderCustom(c) {
    if (!isObject(c)) return null;
    if (isCard(c)) return renderCard(c, { action: (label, payload, shown, cls) => this.actionButton(label, payload, shown, cls) });
    // Unknown structured payload: its text if it has one, else nothing.
    if (typeof c.text === "string" && c.text) {
      const b = el("div", "cvsw-msg cvsw-msg-bot");
      appendRichText(b, c.text);
      return b;
    }
    return null;
  }

  renderButtons(buttons) {
    const group = el("div", "cvsw-suggestions");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", L.suggestionsGroup);
    buttons.forEach((b) => {
      if (!isObject(b)) return;
      const title = str(b.title || b.payload);
      const payload = str(b.payload || b.title);
      if (title && payload) group.appendChild(this.actionButton(title, payload, title));
    });
    return group;
  }

  actionButton(label, payload, shown, extraClass) {
    return button(label, "cvsw-chip" + (extraClass ? " " + extraClass : ""), () => {
      this.send(payload, shown || label);
      this.input.focus();
    });
  }

  /* ---------------- feedback ---------------- */

  renderFeedback(rec) {
    const row = el("div", "cvsw-row cvsw-row-feedback");
    const group = el("div", "cvsw-feedback");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", L.feedbackGroup);
    const up = iconButton(svgIcon("up"), L.feedbackUp, "cvsw-btn cvsw-fb cvsw-fb-up");
    const down = iconButton(svgIcon("down"), L.feedbackDown, "cvsw-btn cvsw-fb cvsw-fb-down");
    const status = el("p", "cvsw-fb-status");
    status.setAttribute("role", "status");
    const pressed = () => {
      up.setAttribute("aria-pressed", rec.avis === "positif" ? "true" : "false");
      down.setAttribute("aria-pressed", rec.avis === "negatif" ? "true" : "false");
    };
    pressed();
    let form = null;
    up.addEventListener("click", () => {
      if (form) { form.remove(); form = null; }
      this.sendAvis(rec, "positif", "", status).then(pressed);
    });
    down.addEventListener("click", () => {
      if (form) { form.querySelector("textarea").focus(); return; }
      form = this.commentForm(rec, status, () => { pressed(); if (form) { form.remove(); form = null; } down.focus(); });
      group.after(form);
      form.querySelector("textarea").focus();
    });
    group.appendChild(up);
    group.appendChild(down);
    row.appendChild(group);
    row.appendChild(status);
    this.log.appendChild(row);
    return row;
  }

  commentForm(rec, status, done) {
    const form = el("form", "cvsw-fb-form");
    form.setAttribute("novalidate", "");
    const id = "cvsw-fb-" + rec.answer;
    const label = el("label", "cvsw-fb-label", L.feedbackCommentLabel);
    label.htmlFor = id;
    const ta = el("textarea", "cvsw-fb-comment");
    ta.id = id;
    ta.rows = 2;
    ta.maxLength = CONFIG.maxCommentLength;
    const submit = el("button", "cvsw-chip cvsw-fb-send", L.feedbackSend);
    submit.type = "submit";
    form.appendChild(label);
    form.appendChild(ta);
    form.appendChild(submit);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.sendAvis(rec, "negatif", ta.value.trim().slice(0, CONFIG.maxCommentLength), status).then((ok) => { if (ok) done(); });
    });
    return form;
  }

  sendAvis(rec, note, comment, status) {
    const body = {
      sender: this.state.sender, message_id: rec.answer, timestamp: rec.at / 1000,
      note: note, commentaire: comment, extrait: rec.extrait || ""
    };
    return sendAvis(this.server, body, this.opts.timeout).then(() => {
      rec.avis = note;
      this.save();
      status.textContent = L.feedbackThanks;
      return true;
    }, () => {
      status.textContent = L.feedbackFailed;
      return false;
    });
  }

  /* ---------------- sending ---------------- */

  setTyping(on) {
    this.pending = Math.max(0, this.pending + (on ? 1 : -1));
    const show = this.pending > 0;
    if (show && this.typing.hidden) {
      this.typing.textContent = "";
      const dots = el("span", "cvsw-dots");
      dots.setAttribute("aria-hidden", "true");
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      this.typing.appendChild(dots);
      this.typing.appendChild(el("span", "cvsw-typing-text", L.typing));
      this.typing.hidden = false;
    } else if (!show && !this.typing.hidden) {
      this.typing.hidden = true;
      this.typing.textContent = "";
    }
  }

  clearErrors() {
    this.log.querySelectorAll(".cvsw-row-error").forEach((n) => n.remove());
  }

  // Sends `payload` to Rasa; shows `shown` as the user's message. `extra` goes into metadata
  // for this message only (the position), and is not kept in the history.
  send(payload, shown, extra) {
    payload = str(payload).trim().slice(0, this.maxLength);
    if (!payload) return Promise.resolve();
    if (!this.isOpen()) this.open(false);
    this.clearErrors();
    this.addMessage({ from: "user", text: str(shown || payload), payload: payload });
    return this.post(payload, extra);
  }

  post(payload, extra) {
    const gen = this.generation;
    const run = () => {
      if (gen !== this.generation || this.destroyed) return Promise.resolve();
      this.setTyping(true);
      const metadata = Object.assign({}, extra || {});
      if (this.opts.today) metadata.today = str(this.opts.today);
      return sendMessage(this.server, this.state.sender, payload, metadata, this.opts.timeout).then((items) => {
        this.setTyping(false);
        if (gen !== this.generation || this.destroyed) return;
        this.receive(items);
      }, (err) => {
        this.setTyping(false);
        if (gen !== this.generation || this.destroyed) return;
        this.showError(payload, extra, err);
      });
    };
    // One request at a time, so that answers come back in order.
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  // One rendering per answer: a text item followed by a card that restates it is kept (for the
  // download and the e-mail) but not shown; see web/README.md, « Une seule présentation ».
  receive(items) {
    const answer = localId();
    const msgs = [];
    items.forEach((item) => {
      if (!isObject(item)) return;
      if (item.custom !== undefined) {
        if (this.opts.cards && isCard(item.custom)) {
          for (let i = msgs.length - 1; i >= 0; i--) {
            const m = msgs[i];
            if (m.custom !== undefined) break;
            if (m.text && !m.replacedByCard) {
              m.replacedByCard = true;
              if (CARDS_WITH_ACTIONS.indexOf(item.custom.type) >= 0) m.buttonsInCard = true;
              break;
            }
          }
          msgs.push({ from: "bot", custom: item.custom, answer: answer });
        } else if (this.opts.cards && isObject(item.custom) && typeof item.custom.text === "string") {
          msgs.push({ from: "bot", custom: item.custom, answer: answer });
        }
        if (!item.text && !item.buttons) return;
      }
      if (item.text || item.image || (Array.isArray(item.buttons) && item.buttons.length)) {
        const msg = { from: "bot", answer: answer };
        if (item.text) msg.text = str(item.text);
        if (item.image) msg.image = str(item.image);
        if (Array.isArray(item.buttons)) {
          msg.buttons = item.buttons.filter(isObject).map((b) => ({ title: str(b.title), payload: str(b.payload) }));
        }
        msgs.push(msg);
      }
    });
    let shown = 0;
    msgs.forEach((m) => { if (this.addMessage(m)) shown++; });
    if (!shown) {
      this.addMessage({ from: "bot", text: L.emptyReply, answer: answer });
      return;
    }
    const first = msgs.filter((m) => m.text)[0];
    this.addMessage({ from: "bot", kind: "feedback", answer: answer, extrait: first ? first.text.slice(0, 300) : "", avis: null });
    this.updateAdvisor();
  }

  showError(payload, extra, err) {
    this.clearErrors();
    const row = el("div", "cvsw-row cvsw-row-error");
    const box = el("div", "cvsw-msg cvsw-msg-error");
    const icon = el("span", "cvsw-error-icon", "⚠");
    icon.setAttribute("aria-hidden", "true");
    box.appendChild(icon);
    const busy = err && err.status === 429;
    box.appendChild(el("span", "cvsw-error-text", busy ? (err.serverMessage || L.errorBusy) : L.errorNetwork));
    row.appendChild(box);
    row.appendChild(button(L.retry, "cvsw-chip cvsw-retry", () => {
      this.clearErrors();
      this.post(payload, extra);
      this.input.focus();
    }));
    this.log.appendChild(row);
    this.scrollToEnd();
  }

  /* ---------------- tools ---------------- */

  clear() {
    this.generation++;
    this.store.clear();
    this.state = { sender: newSenderId(), messages: [], open: this.isOpen() };
    this.save();
    this.pending = 0;
    this.setTyping(false);
    this.renderHistory();
    this.updateAdvisor();
    this.announce(L.clearDone);
    if (this.isOpen()) this.input.focus();
  }

  transcriptText() {
    return transcript(this.state.messages, new Date());
  }

  download() {
    const day = new Date().toISOString().slice(0, 10);
    downloadText(this.transcriptText(), L.fileName(day));
  }

  print() {
    const html = document.documentElement;
    html.classList.add("cvsw-printing");
    const done = () => { html.classList.remove("cvsw-printing"); window.removeEventListener("afterprint", done); };
    window.addEventListener("afterprint", done);
    try { window.print(); } finally { setTimeout(done, 1000); }
  }

  // « Écrire à un conseiller »: the last contacts card's commune contact, else a MEL contact seen
  // in a card, else the configured fallback address (data-contact-email), else no recipient.
  advisor() {
    const msgs = this.state.messages;
    let mel = null;
    for (let i = msgs.length - 1; i >= 0; i--) {
      const a = advisorFrom(msgs[i].custom);
      if (a && !a.mel) return a;
      if (a && !mel) mel = a;
    }
    if (mel) return mel;
    const email = str(this.opts.contactEmail || CONFIG.fallbackContactEmail).trim();
    return { email: email, commune: "", mel: !!email };
  }

  updateAdvisor() {
    const a = this.advisor();
    this.advisorLink.href = mailtoHref(a.email, L.advisorSubject, L.advisorIntro + this.transcriptText(), CONFIG.mailtoMaxBody);
    this.advisorLink.title = a.commune ? L.advisorHelpCommune(a.commune) : (a.mel ? L.advisorHelpMel : L.advisorHelpNone);
  }

  // Asked only on click; the position goes in this message's metadata, nowhere else.
  usePosition() {
    const geo = navigator.geolocation;
    if (!geo) { this.localNotice(L.positionUnavailable); return; }
    geo.getCurrentPosition((pos) => {
      const lat = Math.round(pos.coords.latitude * 1e5) / 1e5;
      const lon = Math.round(pos.coords.longitude * 1e5) / 1e5;
      this.send("/verifier_adresse_qpv", L.positionShown, { position: { lat: lat, lon: lon } });
    }, (err) => {
      this.localNotice(err && err.code === 1 ? L.positionDenied : L.positionUnavailable);
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
  }

  localNotice(text) {
    const row = el("div", "cvsw-row cvsw-row-bot cvsw-row-notice");
    const bubble = el("div", "cvsw-msg cvsw-msg-bot");
    bubble.appendChild(srOnly(L.bot));
    bubble.appendChild(document.createTextNode(text));
    row.appendChild(bubble);
    this.log.appendChild(row);
    this.scrollToEnd();
  }

  destroy() {
    this.destroyed = true;
    this.generation++;
    if (this.root && this.root.parentNode) this.root.parentNode.removeChild(this.root);
  }
}
