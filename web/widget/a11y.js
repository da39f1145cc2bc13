// Accessibility helpers: a polite status region for short announcements, colour contrast.

export function announcer(parent) {
  const region = document.createElement("p");
  region.className = "cvsw-sr-only";
  region.setAttribute("role", "status");
  parent.appendChild(region);
  return function announce(text) {
    region.textContent = "";
    // A new text node after a tick, so that the same sentence twice is announced twice.
    setTimeout(function () { region.textContent = text; }, 50);
  };
}

function parseColor(c) {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(c || "").trim());
  if (!m) return null;
  let h = m[1];
  if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

function luminance(rgb) {
  const a = rgb.map(function (v) {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2];
}

function contrast(a, b) {
  const l1 = luminance(a), l2 = luminance(b);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

const hex = function (rgb) { return "#" + rgb.map(function (v) { return ("0" + v.toString(16)).slice(-2); }).join(""); };

// The brand colour, the text colour on it (black or white, whichever contrasts more), and an
// accent for links on white (the default blue when the brand colour gives less than 4.5:1).
export function colorScheme(color, fallback) {
  const rgb = parseColor(color) || parseColor(fallback);
  const white = [255, 255, 255], black = [0, 0, 0];
  return {
    main: hex(rgb),
    on: contrast(rgb, white) >= contrast(rgb, black) ? "#ffffff" : "#000000",
    accent: contrast(rgb, white) >= 4.5 ? hex(rgb) : "#005a9c"
  };
}
