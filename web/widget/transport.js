// HTTP to Rasa: the REST channel for messages, the `avis` channel for 👍 / 👎.

// Unguessable conversation id: whoever knows a sender id can read nothing, but could add an avis
// to that conversation, so it must not be guessable. Only the browser's CSPRNG is used.
export function newSenderId() {
  const c = window.crypto;
  if (c && typeof c.randomUUID === "function") return "web-" + c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b); // throws without Web Crypto: better than a guessable id
  let hex = "";
  for (let i = 0; i < b.length; i++) hex += ("0" + b[i].toString(16)).slice(-2);
  return "web-" + hex;
}

export class HttpError extends Error {
  constructor(status, message) {
    super("HTTP " + status);
    this.status = status;
    this.serverMessage = message || null; // French sentence of the load balancer's 429 body
  }
}

function postJson(url, body, timeoutMs) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = controller && timeoutMs > 0 ? setTimeout(function () { controller.abort(); }, timeoutMs) : null;
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept": "application/json" },
    body: JSON.stringify(body),
    signal: controller ? controller.signal : undefined,
    credentials: "omit",
    cache: "no-store"
  }).then(function (res) {
    if (res.ok) return res.json();
    return res.json().catch(function () { return null; }).then(function (data) {
      const msg = data && typeof data.message === "string" ? data.message : null;
      throw new HttpError(res.status, msg);
    });
  }).finally(function () { if (timer) clearTimeout(timer); });
}

export function sendMessage(server, sender, message, metadata, timeoutMs) {
  return postJson(server + "/webhooks/rest/webhook", { sender: sender, message: message, metadata: metadata || {} },
    timeoutMs).then(function (data) {
    if (!Array.isArray(data)) throw new Error("Réponse inattendue");
    return data;
  });
}

export function sendAvis(server, avis, timeoutMs) {
  return postJson(server + "/webhooks/avis/webhook", avis, timeoutMs);
}
