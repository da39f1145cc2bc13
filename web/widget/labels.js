// Every French text of the widget that does not come from the server, in one place.
// "vous", short sentences. Change a wording here, nowhere else.

export const L = {
  launcher: "Poser une question",
  title: "Assistant Contrat de ville",
  subtitle: "Métropole Européenne de Lille",
  welcome:
    "Bonjour ! Je réponds à vos questions sur le Contrat de ville et des solidarités " +
    "de la Métropole Européenne de Lille : qui contacter, date limite de dépôt, " +
    "ambitions, éligibilité de votre projet.",
  suggestions: [
    { title: "Qui contacter pour mon quartier ?", payload: "Qui contacter pour mon quartier ?" },
    { title: "Quelle est la date limite ?", payload: "Quelle est la date limite de dépôt ?" },
    { title: "Quelle ambition pour mon projet ?", payload: "Quelle ambition pour mon projet ?" }
  ],
  you: "Vous : ",
  bot: "Assistant : ",
  close: "Fermer l'assistant",
  tools: "Outils de la conversation",
  clear: "Effacer la conversation",
  clearShort: "Effacer",
  clearDone: "Conversation effacée.",
  download: "Télécharger la conversation",
  downloadShort: "Télécharger",
  print: "Imprimer",
  advisor: "Écrire à un conseiller",
  advisorHelpCommune: function (commune) { return "Ouvre un e-mail à votre contact de " + commune + ", avec la conversation."; },
  advisorHelpMel: "Ouvre un e-mail à l'équipe politique de la ville de la MEL, avec la conversation.",
  advisorHelpNone: "Ouvre un e-mail avec la conversation ; demandez d'abord un contact pour votre commune.",
  advisorSubject: "Ma question sur le Contrat de ville et des solidarités",
  advisorIntro: "Bonjour,\n\nVoici ma conversation avec l'assistant du Contrat de ville :\n\n",
  advisorCut: "\n[… conversation coupée : le fichier complet se télécharge depuis l'assistant]",
  position: "Utiliser ma position",
  positionShort: "Ma position",
  positionHelp: "« Ma position » vérifie, avec votre accord, si vous êtes dans un quartier prioritaire ; elle n'est pas gardée.",
  positionShown: "Ma position",
  positionUnavailable: "Votre position n'est pas disponible. Indiquez plutôt votre adresse ou votre quartier.",
  positionDenied: "Vous n'avez pas autorisé l'accès à votre position. Indiquez plutôt votre adresse ou votre quartier.",
  privacy: function (hours) {
    return hours > 0
      ? "Conversation gardée " + hours + " h au plus dans ce navigateur, et sur le serveur de l'assistant pour améliorer ses réponses."
      : "Conversation pas gardée dans ce navigateur ; elle l'est sur le serveur de l'assistant pour améliorer ses réponses.";
  },
  inputLabel: "Votre message à l'assistant",
  placeholder: "Écrivez votre question…",
  counter: function (n, max) { return n + " / " + max + " caractères"; },
  counterFull: function (max) { return "Limite de " + max + " caractères atteinte."; },
  send: "Envoyer le message",
  sendShort: "Envoyer",
  typing: "L'assistant écrit…",
  errorNetwork: "Le service ne répond pas. Vérifiez votre connexion puis réessayez.",
  errorBusy: "L'assistant reçoit trop de demandes en ce moment. Patientez quelques secondes puis réessayez.",
  retry: "Réessayer",
  emptyReply: "Je n'ai pas de réponse à vous donner. Pouvez-vous reformuler votre question ?",
  suggestionsGroup: "Suggestions de réponse",
  newWindow: " (nouvelle fenêtre)",
  // feedback
  feedbackGroup: "Votre avis sur cette réponse",
  feedbackUp: "Réponse utile",
  feedbackDown: "Réponse pas utile",
  feedbackCommentLabel: "Qu'est-ce qui ne va pas ? (facultatif)",
  feedbackSend: "Envoyer l'avis",
  feedbackThanks: "Merci pour votre avis.",
  feedbackFailed: "Votre avis n'a pas pu être envoyé. Réessayez plus tard.",
  // transcript
  transcriptTitle: "Conversation avec l'assistant du Contrat de ville et des solidarités (MEL)",
  transcriptDate: function (d) { return "Téléchargée le " + d; },
  transcriptYou: "Vous",
  transcriptBot: "Assistant",
  fileName: function (isoDay) { return "conversation-assistant-contrat-de-ville-" + isoDay + ".txt"; },
  // cards
  source: "Source : ",
  sources: "Sources : ",
  readOfficial: "Lire le document officiel",
  campaign: function (y) { return "Campagne " + y; },
  contacts: "Contacts",
  noContact: "Aucun contact enregistré pour ce lieu.",
  vacant: "Poste vacant",
  waitingHire: "En attente de recrutement",
  roles: {
    ville: "Ville", delegue_prefet: "Délégué(e) du préfet", region: "Région",
    mel: "MEL", prefecture: "Préfecture", autre: "Autre"
  },
  choixTitle: function (commune) { return "Quel quartier" + (commune ? " à " + commune : "") + " ?"; },
  choixHelp: "Les contacts dépendent du quartier. Choisissez le vôtre :",
  choixGroup: function (commune) { return "Quartiers" + (commune ? " de " + commune : ""); },
  ambitionsTitle: "Ambitions du contrat qui correspondent",
  ambitionsNone:
    "Aucune ambition ne correspond clairement à cette description. Précisez votre projet " +
    "(public, quartier, activité) ou parlez-en à votre chef de projet politique de la ville.",
  ambition: function (id) { return "Ambition " + id; },
  ambitionRead: function (id) { return "Lire l'ambition " + id + " en entier"; },
  enjeu: function (n, label) { return "Enjeu " + n + (label ? " : " + label : ""); },
  why: "Pourquoi : ",
  enjeux: {
    1: "Réussite éducative et inégalités dès l'enfance",
    2: "Accès à l'emploi",
    3: "Accès aux soins et prévention",
    4: "Vivre ensemble : cadre de vie, sécurité, habitat",
    5: "Transition écologique solidaire",
    6: "Isolement, accès aux droits, lutte contre les discriminations"
  },
  eligTitle: "Pré-vérification de votre projet",
  eligHelp: "Cette pré-vérification ne remplace pas l'instruction de votre dossier.",
  criteres: {
    ok: { icon: "✓", label: "Conforme" },
    ko: { icon: "✗", label: "Non conforme" },
    a_verifier: { icon: "?", label: "À vérifier" }
  },
  verdicts: {
    eligible: "Votre projet semble éligible",
    non_eligible: "Votre projet ne semble pas éligible",
    incomplet: "Informations à compléter"
  },
  verdictOther: function (v) { return "Résultat : " + v; },
  calTitle: function (campagne, territoire) {
    return "Calendrier" + (campagne ? " — campagne " + campagne : "") + (territoire ? " (" + territoire + ")" : "");
  },
  calStatus: { ouvert: "Appel à projets ouvert", clos: "Dépôt clos", non_publie: "Appel à projets pas encore publié" },
  calUnknown: "Statut inconnu",
  dayJ: "Jour J",
  lastDay: "dernier jour pour déposer",
  daysLeft: function (n) { return n === 1 ? "1 jour restant" : n + " jours restants"; },
  deadline: "Date limite de dépôt : ",
  results: "Résultats : ",
  platform: "Accéder à la plateforme de dépôt",
  qpvIn: "Dans un quartier prioritaire",
  qpvOut: "Hors quartier prioritaire",
  qpvQuartier: function (nom, code) { return "Quartier : " + nom + (code ? " (" + code + ")" : ""); },
  qpvInText: "Ce lieu est dans un QPV.",
  qpvOutText: "Ce lieu n'est dans aucun QPV connu.",
  qpvDistance: function (m) { return "Distance à la limite du QPV le plus proche : " + m + "\u00a0m"; },
  qpvCheck: "À vérifier : ",
  qpvCheckText: "le lieu est proche d'une limite. Vérifiez sur ",
  sigVille: "SIG Ville",
  ficheTitle: "Fiche de pré-dépôt",
  ficheRegion: "Texte de la fiche de pré-dépôt",
  copy: "Copier",
  copied: "Fiche copiée dans le presse-papiers.",
  copyFailed: "Copie impossible : le texte est sélectionné, copiez-le avec Ctrl+C.",
  mailFiche: "Envoyer par e-mail",
  extraitTitle: "Extrait du document officiel",
  months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
    "août", "septembre", "octobre", "novembre", "décembre"],
  weekdays: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]
};

// Settings an integrator may need to change, in one place (overridable by data-* attributes).
export const CONFIG = {
  maxMessageLength: 5000,       // bot/channels.py MAX_MESSAGE_LENGTH
  maxCommentLength: 500,        // bot/feedback.py MAX_COMMENT_LENGTH
  historyHours: 24,             // data-history-hours
  maxStoredMessages: 200,
  mailtoMaxBody: 1800,          // mail clients refuse very long mailto: URLs
  // Used by « Écrire à un conseiller » when no contacts card named one (data-contact-email).
  // Left empty on purpose: the address must come from the référentiel (a contacts card), not from code.
  fallbackContactEmail: "",
  sigVilleUrl: "https://sig.ville.gouv.fr/"
};
