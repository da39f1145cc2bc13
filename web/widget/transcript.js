// The conversation as plain text: the downloaded file, the printed page's source, the e-mail body.
import { str } from "./dom.js";
import { L } from "./labels.js";

function cardText(custom) {
  if (!custom || typeof custom !== "object") return "";
  if (custom.type === "fiche") return str(custom.texte);
  if (custom.type === "extrait") return [str(custom.source_titre || custom.titre), str(custom.texte)].filter(Boolean).join("\n");
  return "";
}

export function transcript(messages, now) {
  const lines = [L.transcriptTitle, L.transcriptDate(now.toLocaleString("fr-FR")), ""];
  messages.forEach(function (m) {
    if (m.kind === "feedback") return;
    let text = m.custom !== undefined ? cardText(m.custom) : str(m.text);
    if (!text) return;
    lines.push((m.from === "user" ? L.transcriptYou : L.transcriptBot) + " : " + text);
    lines.push("");
  });
  return lines.join("\n");
}

export function downloadText(text, fileName) {
  const blob = new Blob([text], { type: "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  document.body.removeChild(a);
  setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
}

export function mailtoHref(email, subject, body, maxBody) {
  const cut = body.length > maxBody ? body.slice(0, maxBody) + L.advisorCut : body;
  return "mailto:" + encodeURIComponent(email).replace(/%40/g, "@") +
    "?subject=" + encodeURIComponent(subject) + "&body=" + encodeURIComponent(cut);
}
