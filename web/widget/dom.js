// DOM helpers. Data is only ever inserted with textContent / createElement, never as HTML.
import { L } from "./labels.js";

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function srOnly(text) {
  return el("span", "cvsw-sr-only", text);
}

export function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function str(v) {
  return v === null || v === undefined ? "" : String(v);
}

export function safeHref(url, schemes) {
  const s = str(url).trim();
  if (!s) return null;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
  if (!m) return null;
  return schemes.indexOf(m[1].toLowerCase()) >= 0 ? s : null;
}

export function link(href, text, external) {
  const a = el("a", "cvsw-link", text);
  a.href = href;
  if (external) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.appendChild(srOnly(L.newWindow));
  }
  return a;
}

export function button(label, className, onClick) {
  const b = el("button", className, label);
  b.type = "button";
  if (onClick) b.addEventListener("click", onClick);
  return b;
}

// A button whose visible content is an icon: the name comes from aria-label (and title).
export function iconButton(icon, label, className, onClick) {
  const b = button(null, className, onClick);
  b.setAttribute("aria-label", label);
  b.title = label;
  b.appendChild(typeof icon === "string" ? iconSpan(icon) : icon);
  return b;
}

// A button with an icon and a short visible text; its name is the full label, which contains
// the visible text (WCAG 2.5.3, label in name).
export function toolButton(icon, label, className, onClick, shortLabel) {
  const b = button(null, className, onClick);
  b.appendChild(typeof icon === "string" ? iconSpan(icon) : icon);
  b.appendChild(el("span", "cvsw-tool-text", shortLabel || label));
  if (shortLabel && shortLabel !== label) b.setAttribute("aria-label", label);
  return b;
}

function iconSpan(text) {
  const i = el("span", "cvsw-icon", text);
  i.setAttribute("aria-hidden", "true");
  return i;
}

// Icons drawn in SVG: emoji and symbol fonts are not on every computer. Paths: Material Icons
// (Apache License 2.0).
export const ICONS = {
  up: "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
  down: "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z",
  print: "M19 8H5c-1.66 0-3 1.34-3 3v6h4v4h12v-4h4v-6c0-1.66-1.34-3-3-3zm-3 11H8v-5h8v5zm3-7c-.55 0-1-.45-1-1s.45-1 1-1 1 .45 1 1-.45 1-1 1zm-1-9H6v4h12V3z",
  position: "M12 8c-2.21 0-4 1.79-4 4s1.79 4 4 4 4-1.79 4-4-1.79-4-4-4zm8.94 3A8.994 8.994 0 0 0 13 3.06V1h-2v2.06A8.994 8.994 0 0 0 3.06 11H1v2h2.06A8.994 8.994 0 0 0 11 20.94V23h2v-2.06A8.994 8.994 0 0 0 20.94 13H23v-2h-2.06zM12 19c-3.87 0-7-3.13-7-7s3.13-7 7-7 7 3.13 7 7-3.13 7-7 7z"
};

export function svgIcon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "cvsw-icon cvsw-icon-svg");
  svg.setAttribute("data-cvsw-icon", name);
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "18");
  svg.setAttribute("height", "18");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", ICONS[name]);
  svg.appendChild(path);
  return svg;
}

export function bubbleIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "cvsw-launcher-icon");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "24");
  svg.setAttribute("height", "24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z");
  svg.appendChild(path);
  return svg;
}

// "mercredi 15 octobre 2025", computed here: no dependency on the browser's Intl data.
export function frenchDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(str(iso));
  if (!m) return str(iso);
  const y = +m[1], mo = +m[2], d = +m[3];
  if (mo < 1 || mo > 12) return str(iso);
  const wd = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return L.weekdays[wd] + " " + (d === 1 ? "1er" : String(d)) + " " + L.months[mo - 1] + " " + y;
}

// Plain text with URLs and e-mails made into links and **bold** kept, built node by node.
const TOKEN_RE = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]])|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|\*\*([^*\n]+)\*\*/g;

export function appendRichText(parent, text) {
  const s = str(text);
  let last = 0;
  let m;
  TOKEN_RE.lastIndex = 0;
  while ((m = TOKEN_RE.exec(s)) !== null) {
    if (m.index > last) parent.appendChild(document.createTextNode(s.slice(last, m.index)));
    if (m[1]) parent.appendChild(link(m[1], m[1], true));
    else if (m[2]) parent.appendChild(link("mailto:" + m[2], m[2], false));
    else if (m[3]) parent.appendChild(el("strong", null, m[3]));
    last = TOKEN_RE.lastIndex;
  }
  if (last < s.length) parent.appendChild(document.createTextNode(s.slice(last)));
}
