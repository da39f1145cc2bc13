// The conversation kept in localStorage, at most `maxAgeHours` (0: memory only, nothing written).
// Each message carries `at` (ms since epoch); older ones are dropped when the page loads.

// Version 1 kept the whole conversation with no expiry: remove what it left behind.
function dropLegacy() {
  try {
    Object.keys(window.localStorage).filter(function (k) { return k.indexOf("cvsw:v1:") === 0; })
      .forEach(function (k) { window.localStorage.removeItem(k); });
  } catch (e) { /* storage disabled */ }
}

export function makeStore(key, maxAgeHours) {
  dropLegacy();
  let memory = null;
  const persist = maxAgeHours > 0;
  const maxAgeMs = maxAgeHours * 3600 * 1000;

  function fresh(state) {
    if (!state || typeof state.sender !== "string" || !Array.isArray(state.messages)) return null;
    const limit = Date.now() - maxAgeMs;
    const kept = state.messages.filter(function (m) { return m && typeof m.at === "number" && m.at >= limit; });
    if (!kept.length && state.messages.length) return null; // all expired: a new conversation
    state.messages = kept;
    return state;
  }

  return {
    load() {
      if (!persist) return memory;
      try {
        const raw = window.localStorage.getItem(key);
        const state = fresh(raw ? JSON.parse(raw) : null);
        if (!state && raw) window.localStorage.removeItem(key);
        return state;
      } catch (e) {
        return fresh(memory);
      }
    },
    save(state) {
      memory = state;
      if (!persist) return;
      try {
        window.localStorage.setItem(key, JSON.stringify(state));
      } catch (e) { /* quota or storage disabled: keep in memory */ }
    },
    clear() {
      memory = null;
      try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
    }
  };
}
