"""`make report` (scripts/report.py): the MEL team's page, opened in Chromium.

Two sources of conversations:
- a tracker database written here in the exact schema of Rasa 3.6's SQLTrackerStore (table
  ``events``), with events shaped like the ones Rasa stores (checked against a real Rasa run), so
  that every figure of the page is known in advance;
- the real stack (tests/conftest.py, ``stack.tracker_url``): a conversation and a 👎 made in the
  widget, read back from Rasa's own tracker store.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "scripts" / "report.py"

EMAIL = "jean.dupont@asso-quartier.fr"
PHONE = "06 12 34 56 78"
SIRET = "732 829 320 00074"
SIREN = "732829320"
SECRETS = [EMAIL, PHONE, SIRET, SIREN, "0612345678", "73282932000074", "marie@exemple.fr"]


def run_report(db_url: str, out: Path, start: str, end: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TRACKER_DB_URL=db_url)
    proc = subprocess.run([sys.executable, str(REPORT), "--from", start, "--to", end, "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


# --------------------------------------------------------------------------- a known database


def _events_table(meta: sa.MetaData) -> sa.Table:
    """Rasa 3.6 SQLTrackerStore.SQLEvent."""
    return sa.Table(
        "events", meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
    )


class Tracker:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def user(self, sender: str, at: float, text: str, intent: str, lieu: str | None = None) -> None:
        entities = [{"entity": "lieu", "value": lieu, "start": 0, "end": len(lieu)}] if lieu else []
        data = {"event": "user", "timestamp": at, "text": text, "parse_data": {
            "intent": {"name": intent, "confidence": 0.9}, "entities": entities, "text": text}}
        self.rows.append({"sender_id": sender, "type_name": "user", "timestamp": at, "intent_name": intent,
                          "action_name": None, "data": json.dumps(data)})

    def bot(self, sender: str, at: float, text: str | None, response: str | None = None,
            custom: dict[str, Any] | None = None) -> None:
        data = {"event": "bot", "timestamp": at, "text": text,
                "metadata": {"utter_action": response} if response else {},
                "data": {"custom": custom, "buttons": None}}
        self.rows.append({"sender_id": sender, "type_name": "bot", "timestamp": at, "intent_name": None,
                          "action_name": None, "data": json.dumps(data)})

    def avis(self, sender: str, at: float, note: str, commentaire: str, extrait: str) -> None:
        value = {"note": note, "commentaire": commentaire, "message_id": "x", "timestamp": at, "extrait": extrait}
        data = {"event": "slot", "timestamp": at, "name": "avis", "value": value}
        self.rows.append({"sender_id": sender, "type_name": "slot", "timestamp": at, "intent_name": None,
                          "action_name": "avis", "data": json.dumps(data)})

    def write(self, url: str) -> None:
        engine = sa.create_engine(url)
        meta = sa.MetaData()
        table = _events_table(meta)
        meta.create_all(engine)
        with engine.begin() as conn:
            conn.execute(table.insert(), self.rows)
        engine.dispose()


DAY = dt.datetime(2025, 9, 20, 8, 0, tzinfo=dt.timezone.utc).timestamp()


@pytest.fixture(scope="module")
def known_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    url = f"sqlite:///{tmp / 'tracker.db'}"
    t = Tracker()
    # conversation 1: contacts in Loos, then an answer judged wrong with personal data in the comment
    t.user("c1", DAY, "Qui contacter à Loos ?", "demander_contact", lieu="Loos")
    t.bot("c1", DAY + 0.4, "Vos interlocuteurs pour Loos", "utter_contacts_intro")
    t.user("c1", DAY + 60, f"mon mail {EMAIL}, tel {PHONE}, SIRET {SIRET}", "informer_siret")
    t.bot("c1", DAY + 67.5, "Votre SIRET est valide.", "utter_siret_valide")  # the slowest turn: 7.5 s
    t.avis("c1", DAY + 80, "negatif", "Faux, écrivez à marie@exemple.fr ou au 03 20 43 20 60",
           "Votre SIRET est valide.")
    # conversation 2: not understood twice (similar), a passage not found, a place, a 👍
    t.user("c2", DAY + 3600, "subvention pour repeindre la salle des fêtes", "nlu_fallback")
    t.bot("c2", DAY + 3600.3, "Pouvez-vous reformuler ?", "utter_incompris_suggestions")
    t.user("c2", DAY + 3700, "subvention pour repeindre notre salle des fêtes ?", "nlu_fallback")
    t.bot("c2", DAY + 3700.2, "Je n'arrive pas à répondre", "utter_incompris_contact_humain")
    t.user("c2", DAY + 3800, "quel est le taux de TVA des associations", "demander_passage")
    t.bot("c2", DAY + 3800.5, "Les documents ne répondent pas à cette question.", "utter_passage_aucun")
    t.user("c2", DAY + 3900, "et à Roubaix ?", "informer_lieu", lieu="Roubaix")
    t.bot("c2", DAY + 3900.2, "Dans quel quartier ?", None, custom={"type": "choix_quartier"})
    t.avis("c2", DAY + 3950, "positif", "", "Dans quel quartier ?")
    # outside the period: not counted
    t.user("c3", DAY - 40 * 86400, "vieux message", "saluer")
    t.bot("c3", DAY - 40 * 86400 + 1, "Bonjour", "utter_saluer")
    t.write(url)
    out = tmp / "out"
    proc = run_report(url, out, "2025-09-01", "2025-09-30")
    assert "2 conversations" in proc.stdout
    return out / "index.html"


def test_mask_hides_emails_phones_siret_siren_and_keeps_the_rest() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import report
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    text = (f"Écrivez à {EMAIL} ou au {PHONE} (+33 3 20 43 20 60), SIRET {SIRET}, "
            f"SIREN {SIREN}, code QN05975M, 59000 Lille, 15 000 €, campagne 2026.")
    masked = report.mask(text)
    for secret in (EMAIL, PHONE, "+33 3 20 43 20 60", SIRET, SIREN):
        assert secret not in masked, masked
    assert masked.count("[téléphone masqué]") == 2 and "[SIRET masqué]" in masked and "[SIREN masqué]" in masked
    assert "[e-mail masqué]" in masked
    for kept in ("QN05975M", "59000 Lille", "15 000 €", "campagne 2026"):
        assert kept in masked, masked


def test_report_page_opens_charts_render_and_data_is_masked(widget_browser: Any, known_report: Path) -> None:
    html = known_report.read_text(encoding="utf-8")
    for secret in SECRETS + ["03 20 43 20 60"]:
        assert secret not in html, f"{secret} is in the report"
    ctx = widget_browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    try:
        page = ctx.new_page()
        page.goto(known_report.as_uri())
        assert page.title().startswith("Rapport de l'assistant")
        assert page.evaluate("() => document.documentElement.lang") == "fr"
        imgs = page.locator("img")
        assert imgs.count() == 4
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        sizes = imgs.evaluate_all("els => els.map(i => [i.getAttribute('src'), i.naturalWidth, i.alt])")
        assert all(src.endswith(".png") and w > 0 and alt for src, w, alt in sizes), sizes
        text = page.locator("main").inner_text()
        for secret in SECRETS:
            assert secret not in text
        assert page.locator("#nb-conversations").inner_text() == "2"
        assert page.locator("#nb-messages").inner_text() == "6"
        # 2 of 6 not understood; 2 + 1 ("the documents do not answer") without a useful answer
        assert page.locator("#taux-fallback").inner_text() == "33 %"
        assert page.locator("#taux-sans-reponse").inner_text() == "50 %"
        negatifs = page.locator("#avis-negatifs tbody tr")
        assert negatifs.count() == 1
        row = negatifs.first.inner_text()
        assert "Faux, écrivez à [e-mail masqué] ou au [téléphone masqué]" in row
        assert "[SIRET masqué]" in row, "the question the judged answer followed, masked"
        assert page.locator("#nb-avis-positifs").inner_text() == "1"
        groups = page.locator("#sans-reponse > li")
        assert groups.count() == 2, groups.all_inner_texts()  # the two "salle des fêtes" together
        assert "(2)" in groups.first.inner_text() and "salle des fêtes" in groups.first.inner_text()
        assert "TVA" in groups.nth(1).inner_text()
        lieux = page.locator("#lieux").inner_text()
        assert lieux.count("Loos") == 1 and "Roubaix" in lieux
        slowest = page.locator("#lentes tbody tr").first.inner_text()
        assert slowest.startswith("7,5 s") or slowest.startswith("7.5 s"), slowest
        assert "[e-mail masqué]" in slowest
        sujets = page.locator("#sujets").inner_text()
        assert "Question non comprise" in sujets and "vieux message" not in text
        page.screenshot(path=str(Path(__file__).parent / "artifacts" / "report.png"), full_page=True)
    finally:
        ctx.close()


# --------------------------------------------------------------------------- the real stack


def test_widget_feedback_is_stored_with_the_conversation_and_shown_in_the_report(
    widget_browser: Any, stack: Any, tmp_path: Path
) -> None:
    tracker_url = getattr(stack, "tracker_url", None)
    if not tracker_url:
        pytest.fail("stack.tracker_url manque : le `stack` de tests/conftest.py doit lancer Rasa avec le "
                    "tracker store SQL (endpoints de test) et exposer son URL SQLAlchemy.")
    server = str(getattr(stack, "widget_server_url", None) or stack.rasa_url).rstrip("/")
    ctx = widget_browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    comment = f"Réponse fausse {uuid.uuid4().hex[:8]}, rappelez-moi au {PHONE}"
    try:
        ctx.add_init_script("window.CVSWidgetConfig = " + json.dumps(
            {"server": server, "today": "2025-09-20", "open": True, "timeout": 60000}))
        page = ctx.new_page()
        page.set_default_timeout(60000)
        page.goto(stack.web_url)
        page.wait_for_function("() => window.CVSWidget && window.CVSWidget.instance")
        box = page.locator("#cvsw-input")
        box.fill(f"Je suis {EMAIL}, SIRET {SIRET}, quelle est la date limite ?")
        box.press("Enter")
        feedback = page.locator("#cvsw-log .cvsw-fb-down").last
        feedback.wait_for()
        sender = page.evaluate("() => window.CVSWidget.instance.state.sender")
        feedback.click()
        page.get_by_role("textbox", name="Qu'est-ce qui ne va pas ? (facultatif)").fill(comment)
        with page.expect_response(lambda r: r.url.endswith("/webhooks/avis/webhook")) as resp:
            page.get_by_role("button", name="Envoyer l'avis").click()
        assert resp.value.status == 200, resp.value.text()
    finally:
        ctx.close()

    # stored server-side, in Rasa's tracker store, with the conversation
    engine = sa.create_engine(tracker_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                            {"s": sender}).all()
    engine.dispose()
    kinds = [r[0] for r in rows]
    assert "user" in kinds and "bot" in kinds
    avis = [json.loads(r[1]) for r in rows if r[0] == "slot" and json.loads(r[1]).get("name") == "avis"]
    assert avis and avis[-1]["value"]["note"] == "negatif" and avis[-1]["value"]["commentaire"] == comment

    # unknown conversation: 404; bad body: 400
    import requests

    assert requests.post(f"{server}/webhooks/avis/webhook", json={"sender": "web-inconnu", "note": "positif",
                                                                  "timestamp": 1}, timeout=10).status_code == 404
    bad = requests.post(f"{server}/webhooks/avis/webhook", json={"sender": sender, "note": "bof"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["erreur"] == "note_invalide"

    today = dt.date.today()
    out = tmp_path / "report"
    run_report(tracker_url, out, (today - dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=1)).isoformat())
    ctx = widget_browser.new_context(locale="fr-FR")
    try:
        page = ctx.new_page()
        page.goto((out / "index.html").as_uri())
        page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
        table = page.locator("#avis-negatifs").inner_text()
        assert re.sub(r", rappelez-moi.*", "", comment) in table
        assert "[téléphone masqué]" in table and PHONE not in table
        text = page.locator("main").inner_text()
        assert EMAIL not in text and SIRET not in text
    finally:
        ctx.close()
