/*!
 * Widget de discussion « Assistant Contrat de ville » (MEL — Contrat de ville et des solidarités).
 * JavaScript simple, sans dépendance ni étape de build : ce fichier est le seul à inclure ; il
 * charge les modules ES de widget/ (transport, stockage, cartes, accessibilité…) à côté de lui.
 *
 *   <script src="/widget.js" data-server="https://assistant.example.org" defer></script>
 *
 * Voir web/README.md. Tout texte venant du serveur ou de l'utilisateur est inséré avec
 * textContent ; aucun innerHTML de données.
 */
(function () {
  "use strict";
  // The element that loaded us, read now, while it is "current".
  var script = document.currentScript || (function () {
    var all = document.getElementsByTagName("script");
    for (var i = all.length - 1; i >= 0; i--) {
      if (/widget\.js(\?|#|$)/.test(all[i].src || "")) return all[i];
    }
    return null;
  })();
  var api = window.CVSWidget || { instance: null };
  window.CVSWidget = api;
  var base = script && script.src ? script.src : window.location.href;
  var loaded = import(new URL("widget/main.js", base).href);
  // Usable before the modules arrive: init() waits for them.
  if (!api.init) {
    api.init = function (options) { return loaded.then(function (m) { return m.init(api, script, options); }); };
  }
  api.ready = loaded.then(function (m) { return m.boot(api, script); });
  api.ready.catch(function (err) {
    if (window.console) window.console.error("Assistant Contrat de ville : chargement impossible", err);
  });
})();
