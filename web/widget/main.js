// Settings and start-up. Loaded by ../widget.js (the one <script> tag), which passes the public
// API object and the <script> element whose data-* attributes configure the widget.
import { Widget } from "./app.js";
import { CONFIG, L } from "./labels.js";

export const VERSION = "2.0.0";

const DEFAULTS = {
  server: null, // data-server; default: the origin of the page (Rasa behind the same load balancer)
  title: L.title,
  subtitle: L.subtitle,
  color: "#005a9c",
  today: null, // ISO YYYY-MM-DD, sent in metadata.today (demos, tests)
  open: false,
  css: null, // stylesheet URL; "none" for none
  timeout: 30000,
  storageKey: null,
  container: null,
  launcherLabel: L.launcher,
  welcome: L.welcome,
  suggestions: L.suggestions,
  historyHours: CONFIG.historyHours, // 0: nothing written in the browser
  contactEmail: null, // « Écrire à un conseiller » when no contacts card gave one
  cards: true // false: text answers only, structured payloads ignored
};

function toBool(v, dflt) {
  if (v === undefined || v === null || v === "") return dflt;
  if (typeof v === "boolean") return v;
  return !/^(false|0|non|no|off)$/i.test(String(v));
}

function settingsFromScript(script) {
  const s = {};
  const d = (script && script.dataset) || {};
  ["server", "title", "subtitle", "color", "today", "css", "storageKey", "launcherLabel", "welcome", "contactEmail"]
    .forEach(function (k) { if (d[k] !== undefined) s[k] = d[k]; });
  if (d.open !== undefined) s.open = d.open;
  if (d.cards !== undefined) s.cards = d.cards;
  if (d.timeout !== undefined && !isNaN(+d.timeout)) s.timeout = +d.timeout;
  if (d.historyHours !== undefined && !isNaN(+d.historyHours)) s.historyHours = +d.historyHours;
  return s;
}

function merge() {
  const out = {};
  for (let i = 0; i < arguments.length; i++) {
    const src = arguments[i];
    if (!src || typeof src !== "object") continue;
    Object.keys(src).forEach(function (k) { if (src[k] !== undefined) out[k] = src[k]; });
  }
  return out;
}

let cssPromise = null;
function loadCss(href) {
  if (cssPromise) return cssPromise;
  cssPromise = new Promise(function (resolve) {
    if (!href || href === "none" || document.querySelector("link[data-cvsw-css]")) { resolve(); return; }
    const l = document.createElement("link");
    l.rel = "stylesheet";
    l.href = href;
    l.setAttribute("data-cvsw-css", "");
    let done = false;
    const finish = function () { if (!done) { done = true; resolve(); } };
    l.onload = finish;
    l.onerror = finish;
    setTimeout(finish, 3000);
    document.head.appendChild(l);
  });
  return cssPromise;
}

function whenReady(fn) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn, { once: true });
  else fn();
}

let instance = null;

function resolveServer(server) {
  try { return new URL(server || window.location.origin, window.location.href).href.replace(/\/+$/, ""); } catch (e) { return String(server || ""); }
}

export function init(api, script, options) {
  const opts = merge(DEFAULTS, settingsFromScript(script), window.CVSWidgetConfig, options);
  opts.open = toBool(opts.open, false);
  opts.cards = toBool(opts.cards, true);
  opts.timeout = +opts.timeout || DEFAULTS.timeout;
  opts.historyHours = Math.max(0, isNaN(+opts.historyHours) ? CONFIG.historyHours : +opts.historyHours);
  opts.server = resolveServer(opts.server);
  let cssHref = opts.css;
  if (!cssHref) {
    try { cssHref = new URL("widget.css", script && script.src ? script.src : window.location.href).href; } catch (e) { cssHref = "widget.css"; }
  }
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
  return function () { return instance ? instance[name].apply(instance, arguments) : undefined; };
}

// Fills the public API in place (the loader already handed the object to the page).
export function boot(api, script) {
  api.version = VERSION;
  api.init = function (options) { return init(api, script, options); };
  api.open = call("open");
  api.close = call("close");
  api.toggle = call("toggle");
  api.send = function (text) { return instance ? instance.send(text, text) : undefined; };
  api.clear = call("clear");
  api.reset = call("clear"); // 1.x name
  api.download = call("download");
  api.print = call("print");
  api.destroy = function () { if (instance) { instance.destroy(); instance = null; api.instance = null; } };
  if (!("instance" in api)) api.instance = null;
  const auto = script && script.dataset ? script.dataset.auto : undefined;
  return toBool(auto, true) ? init(api, script) : Promise.resolve(api);
}
