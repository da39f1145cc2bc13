"""End-to-end tests of the chat widget (web/widget.js) in a real browser.

They drive Debian's Chromium with Playwright against the ``stack`` fixture:
the real assistant (tests/conftest.py) or, with ``WIDGET_FAKE=1``, a fake
Rasa REST server built here from ``widget_helpers``. The page is loaded from
``stack.web_url`` and the widget is pointed at ``stack.widget_server_url`` (the
TCP proxy in front of Rasa) through ``window.CVSWidgetConfig``.

Run (fake assistant):  WIDGET_FAKE=1 .venv/actions/bin/python -m pytest tests/e2e/test_widget.py
Screenshots go to tests/e2e/artifacts/ (ignored by git).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import urllib.parse
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

try:  # tests/ as a package or as plain folders
    from . import widget_helpers as wh
except ImportError:  # pragma: no cover - depends on how pytest imports us
    import widget_helpers as wh  # type: ignore[no-redef]


pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent
WEB_DIR = HERE.parents[1] / "web"
ARTIFACTS = HERE / "artifacts"
AXE_JS = HERE / "vendor" / "axe.min.js"
TODAY = "2025-09-20"  # sent as metadata.today: the 2026 call is open, J-25
ERROR_TEXT = "Le service ne répond pas. Vérifiez votre connexion puis réessayez."
REPLY_TIMEOUT_MS = int(os.environ.get("WIDGET_REPLY_TIMEOUT_MS", "45000"))

LOG = "#cvsw-log"
BOT_ROWS = "#cvsw-log .cvsw-row-bot"
USER_ROWS = "#cvsw-log .cvsw-row-user"


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------

if os.environ.get("WIDGET_FAKE") == "1":
    # Development fallback: overrides the real `stack` of conftest.py only when asked.
    @pytest.fixture(scope="module")
    def stack() -> Iterator[wh.FakeStack]:
        fake = wh.FakeStack(WEB_DIR)
        try:
            yield fake
        finally:
            fake.close()


def _server_url(stack: Any) -> str:
    url = getattr(stack, "widget_server_url", None)
    if not url:
        proxy = getattr(stack, "proxy", None)
        url = getattr(proxy, "url", None) or stack.rasa_url
    return str(url).rstrip("/")


@pytest.fixture()
def make_page(widget_browser: Any, stack: Any) -> Iterator[Any]:
    """Factory: a fresh browser context (empty localStorage) with the widget configured."""
    contexts: list[Any] = []
    errors: list[str] = []

    def factory(
        width: int = 1280, height: int = 800, scale: float = 1, config: dict[str, Any] | None = None, **ctx_args: Any
    ) -> Any:
        ctx = widget_browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=scale, locale="fr-FR", **ctx_args
        )
        contexts.append(ctx)
        config = {"server": _server_url(stack), "today": TODAY, "open": True, "timeout": 60000, **(config or {})}
        ctx.add_init_script(f"window.CVSWidgetConfig = {json.dumps(config)};")
        page = ctx.new_page()
        page.set_default_timeout(REPLY_TIMEOUT_MS)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield factory
    for ctx in contexts:
        ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture()
def page(make_page: Any, stack: Any) -> Any:
    pg = make_page()
    open_widget(pg, stack)
    return pg


@pytest.fixture(autouse=True)
def _proxy_running(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that uses the stack starts and ends with the assistant reachable."""
    if "stack" not in request.fixturenames:
        yield
        return
    proxy = getattr(request.getfixturevalue("stack"), "proxy", None)
    if proxy is not None:
        proxy.start()
    yield
    if proxy is not None:
        proxy.start()


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def open_widget(page: Any, stack: Any) -> None:
    page.goto(stack.web_url)
    page.wait_for_function("() => window.CVSWidget && window.CVSWidget.instance")
    launcher = page.locator(".cvsw-launcher")
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()
    page.locator("#cvsw-panel").wait_for(state="visible")


def bot_count(page: Any) -> int:
    return page.locator(BOT_ROWS).count()


def wait_reply(page: Any, before: int) -> None:
    """Wait until a new bot row arrived and the typing indicator is gone."""
    page.wait_for_function(
        """([sel, n]) => document.querySelectorAll(sel).length > n
                         && document.querySelector('.cvsw-typing').hidden""",
        arg=[BOT_ROWS, before],
    )


def send(page: Any, text: str, wait: bool = True) -> None:
    before = bot_count(page)
    box = page.locator("#cvsw-input")
    box.fill(text)
    box.press("Enter")
    if wait:
        wait_reply(page, before)


def ask_contacts(page: Any, question: str) -> Any:
    """Ask for contacts; answer a choix_quartier card if the assistant asks one."""
    send(page, question)
    cards = page.locator("#cvsw-log .cvsw-card-contacts, #cvsw-log .cvsw-card-choix")
    cards.last.wait_for()
    if "cvsw-card-choix" in (cards.last.get_attribute("class") or ""):
        before = bot_count(page)
        cards.last.locator("button").first.click()
        wait_reply(page, before)
    contacts = page.locator("#cvsw-log .cvsw-card-contacts").last
    contacts.wait_for()
    return contacts


def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)  # ignored by git (.gitignore)
    return ARTIFACTS


def webhook_glob(stack: Any) -> str:
    return _server_url(stack) + "/webhooks/rest/webhook"


CORS = {"Access-Control-Allow-Origin": "*", "Content-Type": "application/json; charset=utf-8"}


# --------------------------------------------------------------------------
# Conversation against the assistant
# --------------------------------------------------------------------------


def test_contacts_card_has_mailto_link(page: Any) -> None:
    card = ask_contacts(page, "Qui contacter à Loos ?")
    mail = card.locator('a[href^="mailto:"]').first
    href = mail.get_attribute("href") or ""
    assert href.startswith("mailto:") and "@" in href, href
    assert "Loos" in card.inner_text()
    assert "Campagne" in card.inner_text()


def test_request_carries_sender_and_today(page: Any, stack: Any) -> None:
    with page.expect_request(lambda r: r.url.endswith("/webhooks/rest/webhook") and r.method == "POST") as req:
        send(page, "bonjour")
    body = json.loads(req.value.post_data or "{}")
    stored = page.evaluate("() => window.CVSWidget.instance.state.sender")
    assert body["sender"] == stored and body["sender"].startswith("web-")
    assert body["message"] == "bonjour"
    assert body["metadata"] == {"today": TODAY}


def test_suggestion_button_sends_payload_and_gets_answer(page: Any) -> None:
    send(page, "bonjour")
    buttons = page.locator("#cvsw-log .cvsw-row-bot .cvsw-suggestions button")
    assert buttons.count() > 0, "no suggestion button in the conversation"
    button = buttons.last
    title = button.inner_text().strip()
    users_before = page.locator(USER_ROWS).count()
    before = bot_count(page)
    button.click()
    wait_reply(page, before)
    users = page.locator(USER_ROWS)
    assert users.count() == users_before + 1
    assert users.last.inner_text().strip().endswith(title)
    # the focus goes back to the input, ready for the next question
    assert page.evaluate("() => document.activeElement.id") == "cvsw-input"


def test_history_survives_reload_and_clear_empties_it(page: Any, stack: Any) -> None:
    send(page, "bonjour")
    sender = page.evaluate("() => window.CVSWidget.instance.state.sender")
    before_text = page.locator(LOG).inner_text()
    rows = page.locator("#cvsw-log .cvsw-row").count()
    page.reload()
    page.wait_for_function("() => window.CVSWidget && window.CVSWidget.instance")
    page.locator("#cvsw-panel").wait_for(state="visible")
    assert page.locator("#cvsw-log .cvsw-row").count() == rows
    assert page.locator(LOG).inner_text() == before_text
    assert "bonjour" in page.locator(USER_ROWS).last.inner_text()
    assert page.evaluate("() => window.CVSWidget.instance.state.sender") == sender

    page.get_by_role("button", name="Effacer la conversation", exact=True).click()
    assert page.locator(USER_ROWS).count() == 0
    assert page.evaluate("() => window.CVSWidget.instance.state.sender") != sender
    stored = page.evaluate("() => JSON.stringify(localStorage)")
    assert "bonjour" not in stored, stored
    page.reload()
    page.wait_for_function("() => window.CVSWidget && window.CVSWidget.instance")
    assert page.locator(USER_ROWS).count() == 0


def test_privacy_sentence_says_what_is_kept_where(page: Any) -> None:
    text = page.locator("#cvsw-privacy").inner_text()
    assert "24 h" in text and "navigateur" in text and "serveur" in text, text
    assert page.locator("#cvsw-privacy").is_visible()


HOUR_MS = 3600 * 1000


def _reload(page: Any) -> None:
    page.reload()
    page.wait_for_function("() => window.CVSWidget && window.CVSWidget.instance")


def test_history_expires_after_24_hours(make_page: Any, stack: Any) -> None:
    page = make_page()
    t0 = _dt.datetime(2025, 9, 20, 9, 0, tzinfo=_dt.timezone.utc)
    page.clock.set_fixed_time(t0)
    page.goto(stack.web_url)  # what widget 1.x left, with no expiry, is removed
    page.evaluate("() => localStorage.setItem('cvsw:v1:http://x', JSON.stringify({sender: 'web-old', messages: []}))")
    open_widget(page, stack)
    assert page.evaluate("() => localStorage.getItem('cvsw:v1:http://x')") is None
    send(page, "bonjour SIRET 73282932000074")
    sender = page.evaluate("() => window.CVSWidget.instance.state.sender")

    page.clock.set_fixed_time(t0 + _dt.timedelta(hours=23, minutes=50))
    _reload(page)
    assert page.locator(USER_ROWS).count() == 1, "kept for less than 24 h"

    page.clock.set_fixed_time(t0 + _dt.timedelta(hours=24, minutes=5))
    _reload(page)
    assert page.locator(USER_ROWS).count() == 0, "gone after 24 h"
    assert page.evaluate("() => window.CVSWidget.instance.state.sender") != sender
    assert "73282932000074" not in page.evaluate("() => JSON.stringify(localStorage)")


def test_history_duration_is_configurable(make_page: Any, stack: Any) -> None:
    page = make_page(config={"historyHours": 1})
    t0 = _dt.datetime(2025, 9, 20, 9, 0, tzinfo=_dt.timezone.utc)
    page.clock.set_fixed_time(t0)
    open_widget(page, stack)
    assert "1 h" in page.locator("#cvsw-privacy").inner_text()
    send(page, "bonjour")
    page.clock.set_fixed_time(t0 + _dt.timedelta(minutes=50))
    _reload(page)
    assert page.locator(USER_ROWS).count() == 1
    page.clock.set_fixed_time(t0 + _dt.timedelta(minutes=70))
    _reload(page)
    assert page.locator(USER_ROWS).count() == 0

    # 0: nothing is written in the browser at all
    page2 = make_page(config={"historyHours": 0})
    open_widget(page2, stack)
    send(page2, "bonjour")
    assert page2.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('cvsw')).length") == 0
    assert "pas gardée" in page2.locator("#cvsw-privacy").inner_text()


def test_unreachable_server_shows_error_and_retry_works(page: Any, stack: Any) -> None:
    stack.proxy.stop()
    send(page, "bonjour", wait=False)
    error = page.locator("#cvsw-log .cvsw-row-error")
    error.wait_for()
    assert ERROR_TEXT in error.inner_text()
    assert page.locator(".cvsw-typing").is_hidden()
    retry = error.get_by_role("button", name="Réessayer")
    assert retry.is_visible()

    stack.proxy.start()
    before = bot_count(page)
    retry.click()
    wait_reply(page, before)
    assert page.locator("#cvsw-log .cvsw-row-error").count() == 0
    # the message was resent, not shown twice
    users = [t.strip() for t in page.locator(USER_ROWS).all_inner_texts()]
    assert sum(1 for t in users if t.endswith("bonjour")) == 1


def test_typing_indicator_while_waiting(page: Any, stack: Any) -> None:
    held: list[Any] = []  # the request is held until the indicator has been checked
    page.route(webhook_glob(stack), lambda route: held.append(route))
    before = bot_count(page)
    send(page, "bonjour", wait=False)
    typing = page.locator(".cvsw-typing")
    typing.wait_for(state="visible", timeout=5000)
    assert "écrit" in typing.inner_text()
    assert page.evaluate("() => document.activeElement.id") == "cvsw-input"
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the widget did not call the webhook"
    held[0].continue_()
    wait_reply(page, before)
    assert typing.is_hidden()


# --------------------------------------------------------------------------
# Security: text only, never markup
# --------------------------------------------------------------------------


def test_markup_from_user_is_shown_as_text(page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    payload = "<img src=x onerror=alert(1)>"
    send(page, payload)
    page.wait_for_timeout(500)
    assert payload in page.locator(USER_ROWS).last.inner_text()
    assert page.locator("#cvsw-log img").count() == 0
    assert page.locator("#cvsw-panel img, #cvsw-panel script").count() == 0
    assert dialogs == []


def test_markup_from_server_is_inert(page: Any, stack: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    evil_text = {  # last: a text right before a card is replaced by the card
        "text": "<img src=x onerror=alert(1)> <b>gras</b>",
        "buttons": [{"title": "<img src=x onerror=alert(2)>", "payload": "/saluer"}],
    }
    evil = [
        {
            "custom": {
                "type": "contacts",
                "campagne": 2026,
                "commune": {"nom": "<svg onload=alert(3)>"},
                "contacts": [
                    {
                        "role": "ville",
                        "nom": "<img src=x onerror=alert(4)>",
                        "email": "javascript:alert(5)",
                        "structure": "<script>alert(6)</script>",
                        "statut": "en_poste",
                        "source": "x",
                    }
                ],
            }
        },
        {
            "custom": {
                "type": "calendrier",
                "statut": "ouvert",
                "jours_restants": 3,
                "date_limite": "2025-10-15",
                "plateforme": "javascript:alert(7)",
            }
        },
        {"custom": {"type": "fiche", "texte": "<img src=x onerror=alert(8)>", "mailto": "javascript:alert(9)"}},
        evil_text,
    ]
    page.route(webhook_glob(stack), lambda route: route.fulfill(status=200, headers=CORS, body=json.dumps(evil)))
    send(page, "test")
    page.wait_for_timeout(500)
    panel = page.locator("#cvsw-panel")
    assert panel.locator("img, svg:not([data-cvsw-icon]), script, b").count() == 0
    log_text = page.locator(LOG).inner_text()
    assert "<img src=x onerror=alert(1)> <b>gras</b>" in log_text
    assert "<img src=x onerror=alert(4)>" in log_text
    hrefs = panel.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h and h.lower().startswith("javascript:")], hrefs
    assert dialogs == []


# --------------------------------------------------------------------------
# Cards: every payload type of contracts.md section 4 (+ fiche)
# --------------------------------------------------------------------------


def test_cards_render_every_payload_type(page: Any, stack: Any) -> None:
    items = [{"text": "Voici tout :"}] + wh.all_card_payloads()
    sent: list[dict[str, Any]] = []

    def handler(route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        sent.append(body)
        if len(sent) == 1:
            route.fulfill(status=200, headers=CORS, body=json.dumps(items))
        else:
            route.fulfill(status=200, headers=CORS, body=json.dumps([{"text": "Bien reçu."}]))

    page.route(webhook_glob(stack), handler)
    send(page, "montre-moi les cartes")
    log = page.locator(LOG)

    contacts = log.locator(".cvsw-card-contacts").last
    text = contacts.inner_text()
    assert "Campagne 2026" in text and "Ville" in text and "Délégué(e) du préfet" in text
    assert "Poste vacant" in text and "Source : Appel à projets 2026 de la MEL, annexe 1" in text
    assert contacts.locator(f'a[href="{wh.URL_MEL}"]', has_text="annexe 1").count() == 1
    assert contacts.locator('a[href="mailto:mcouhez@villeneuveascq.fr"]').count() == 1
    assert contacts.locator('a[href="tel:0320432060"]').count() == 1

    amb = log.locator(".cvsw-card-ambitions").last
    assert "1.2" in amb.inner_text() and "Soutenir la parentalité" in amb.inner_text()
    assert "Pourquoi : parents, parentalité" in amb.inner_text()
    assert "Enjeu 1" in amb.inner_text()

    elig = log.locator(".cvsw-card-eligibilite").last
    checks = elig.locator("li")
    assert checks.count() == 3
    labels = [checks.nth(i).inner_text() for i in range(3)]
    assert "Conforme" in labels[0] and "Non conforme" in labels[1] and "À vérifier" in labels[2]
    assert [checks.nth(i).locator(".cvsw-check-icon").inner_text() for i in range(3)] == ["✓", "✗", "?"]

    cal = log.locator(".cvsw-card-calendrier").last
    assert "J-25" in cal.inner_text()
    assert "mercredi 15 octobre 2025" in cal.inner_text()
    assert "Appel à projets ouvert" in cal.inner_text()
    assert cal.locator('a[href="https://www.lillemetropole.fr/politique-de-la-ville"]').count() == 1

    qpv = log.locator(".cvsw-card-qpv").last
    assert "Secteur Sud" in qpv.inner_text() and "SIG Ville" in qpv.inner_text()

    fiche = log.locator(".cvsw-card-fiche").last
    assert "Atelier parents-enfants" in fiche.locator("pre").inner_text()
    assert fiche.locator('a[href^="mailto:cdemartin@ville-loos.fr"]').count() == 1
    fiche.get_by_role("button", name="Copier").click()
    status = fiche.locator(".cvsw-copy-status")
    status.wait_for()
    assert status.inner_text().strip() != ""

    # choix_quartier sends /informer_lieu{"lieu": ...}, shows the name
    before = bot_count(page)
    log.locator(".cvsw-card-choix button", has_text="Nouveau Roubaix").click()
    wait_reply(page, before)
    assert json.loads(sent[-1]["message"][len("/informer_lieu") :]) == {"lieu": "Nouveau Roubaix"}
    assert sent[-1]["message"].startswith("/informer_lieu{")
    assert page.locator(USER_ROWS).last.inner_text().strip().endswith("Nouveau Roubaix")

    # ambition detail button
    before = bot_count(page)
    log.locator(".cvsw-card-ambitions button", has_text="1.2").click()
    wait_reply(page, before)

    # every card passes the accessibility audit too
    run_axe(page)
    assert sent[-1]["message"].startswith("/demander_detail_ambition{")
    assert json.loads(sent[-1]["message"][len("/demander_detail_ambition") :]) == {"ambition_id": "1.2"}


# --------------------------------------------------------------------------
# Accessibility
# --------------------------------------------------------------------------


def test_keyboard_and_aria(make_page: Any, stack: Any) -> None:
    page = make_page()
    page.goto(stack.web_url)
    page.wait_for_function("() => window.CVSWidget && window.CVSWidget.instance")
    launcher = page.locator(".cvsw-launcher")
    panel = page.locator("#cvsw-panel")
    assert launcher.get_attribute("aria-controls") == "cvsw-panel"
    assert panel.get_attribute("role") == "dialog"
    assert page.locator("#" + (panel.get_attribute("aria-labelledby") or "x")).inner_text().strip()
    log = page.locator(LOG)
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert page.evaluate("() => document.documentElement.lang") == "fr"
    assert page.locator(".cvsw").get_attribute("lang") == "fr"
    assert page.locator("label[for=cvsw-input]").count() == 1
    for b in page.locator("#cvsw-panel button").all():
        assert (b.get_attribute("aria-label") or b.inner_text()).strip()

    # Escape closes and gives the focus back to the launcher
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()
    page.locator("#cvsw-input").focus()
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert launcher.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.classList.contains('cvsw-launcher')")

    # Enter on the launcher opens; the focus lands in the input
    page.keyboard.press("Enter")
    assert panel.is_visible()
    assert launcher.get_attribute("aria-expanded") == "true"
    assert page.evaluate("() => document.activeElement.id") == "cvsw-input"

    # type + Enter sends and the focus stays in the input
    before = bot_count(page)
    page.keyboard.type("bonjour")
    page.keyboard.press("Enter")
    wait_reply(page, before)
    assert page.evaluate("() => document.activeElement.id") == "cvsw-input"

    # Tab walks from the input to the send button, and the focus is visible
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('cvsw-send')")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")

    # Shift+Tab from the input walks back: 👎 / 👍 of the answer, the conversation, the tools, close
    page.locator("#cvsw-input").focus()
    seen: list[str] = []
    for _ in range(60):
        page.keyboard.press("Shift+Tab")
        seen.append(page.evaluate("() => document.activeElement.id || document.activeElement.className"))
        if "cvsw-close" in seen[-1]:
            break
    assert "cvsw-fb-down" in seen[0], seen
    assert "cvsw-log" in seen, seen
    tools = ["cvsw-position", "cvsw-advisor", "cvsw-print", "cvsw-download", "cvsw-reset"]
    assert [t for t in tools if any(t in x for x in seen)] == tools, seen
    assert "cvsw-close" in seen[-1] and "cvsw-reset" in seen[-2], seen


def run_axe(page: Any) -> None:
    """Audit the whole page with axe-core: no serious or critical violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return {version: axe.version, violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))};
        }"""
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe-core {result['version']}: {json.dumps(bad, ensure_ascii=False, indent=1)}"
    minor = [v for v in result["violations"] if v not in bad]
    if minor:  # reported, not fatal
        warnings.warn(f"axe-core minor/moderate findings: {json.dumps(minor, ensure_ascii=False)}", stacklevel=2)


def test_axe_no_serious_or_critical_violation(page: Any, stack: Any) -> None:
    run_axe(page)  # welcome message and suggestions
    ask_contacts(page, "Qui contacter à Loos ?")
    send(page, "bonjour")
    run_axe(page)
    # error state
    stack.proxy.stop()
    send(page, "bonjour", wait=False)
    page.locator("#cvsw-log .cvsw-row-error").wait_for()
    run_axe(page)
    stack.proxy.start()
    # closed state: only the launcher is left
    page.keyboard.press("Escape")
    run_axe(page)


@pytest.mark.parametrize(
    "width,height,scale,name",
    [
        (1280, 800, 1, "widget-1280x800"),
        (360, 740, 1, "widget-360x740"),
        (640, 400, 2, "widget-1280x800-zoom200"),  # 1280x800 at 200 % zoom
    ],
)
def test_layout_fits_viewport(make_page: Any, stack: Any, width: int, height: int, scale: float, name: str) -> None:
    page = make_page(width, height, scale)
    open_widget(page, stack)
    ask_contacts(page, "Qui contacter à Loos ?")
    path = artifacts_dir() / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 0

    box = page.locator("#cvsw-panel").bounding_box()
    assert box is not None
    eps = 0.5
    assert box["x"] >= -eps and box["y"] >= -eps, box
    assert box["x"] + box["width"] <= width + eps and box["y"] + box["height"] <= height + eps, box
    if width <= 480:
        assert box["width"] >= width - 1, "the panel goes full-width on a phone"

    inp = page.locator("#cvsw-input")
    assert inp.is_visible()
    ib = inp.bounding_box()
    assert ib is not None
    assert ib["y"] >= 0 and ib["y"] + ib["height"] <= height + eps, ib
    assert ib["x"] >= 0 and ib["x"] + ib["width"] <= width + eps, ib
    # nothing of the page scrolls sideways because of the widget
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width + 1


def test_vendored_axe_is_present() -> None:
    head = AXE_JS.read_text(encoding="utf-8")[:200]
    assert "axe v" in head
    assert "Mozilla Public License" in (HERE / "vendor" / "LICENSE").read_text(encoding="utf-8")


def test_one_tag_embed_reads_data_attributes(widget_browser: Any, stack: Any) -> None:
    """The documented embedding: one <script> tag, settings from data-* attributes only.

    The tag is inserted into the demo page served by the stack (a document
    fulfilled by Playwright itself would not be allowed to reach localhost).
    """
    ctx = widget_browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = ctx.new_page()
        page.set_default_timeout(REPLY_TIMEOUT_MS)
        page.goto(stack.web_url)
        page.wait_for_function("() => window.CVSWidget && window.CVSWidget.instance")
        page.evaluate(
            """server => {
                window.CVSWidget.destroy();
                localStorage.clear();
                const s = document.createElement('script');
                s.src = '/widget.js?embed-test';
                s.dataset.server = server;
                s.dataset.title = 'Mon assistant';
                s.dataset.color = '#ffcc00';
                s.dataset.today = '2024-10-01';
                document.body.appendChild(s);
            }""",
            _server_url(stack),
        )
        page.wait_for_function("() => window.CVSWidget && window.CVSWidget.instance")
        assert page.locator(".cvsw").count() == 1
        launcher = page.locator(".cvsw-launcher")
        assert launcher.get_attribute("aria-expanded") == "false"  # closed unless data-open
        assert page.locator("#cvsw-panel").is_hidden()
        assert page.locator("#cvsw-title").inner_text() == "Mon assistant"
        # a light brand colour gets dark text (contrast); the stylesheet is found next to the script
        assert launcher.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
        assert launcher.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 204, 0)"
        launcher.click()
        assert page.evaluate("() => document.activeElement.id") == "cvsw-input"
        with page.expect_request(lambda r: r.url.endswith("/webhooks/rest/webhook") and r.method == "POST") as req:
            send(page, "bonjour")
        assert json.loads(req.value.post_data or "{}")["metadata"] == {"today": "2024-10-01"}
    finally:
        ctx.close()


# --------------------------------------------------------------------------
# Issue 15: sources people read, one rendering per answer, input, feedback, tools
# --------------------------------------------------------------------------


def fulfil_json(route: Any, items: Any, status: int = 200) -> None:
    route.fulfill(status=status, headers=CORS, body=json.dumps(items))


def answer_with(page: Any, stack: Any, items: list[dict[str, Any]], question: str = "montre-moi") -> None:
    """The next answer of the assistant is `items` (then the real assistant again)."""
    done: list[bool] = []

    def handler(route: Any) -> None:
        if done:
            route.continue_()
            return
        done.append(True)
        fulfil_json(route, items)

    page.route(webhook_glob(stack), handler)
    send(page, question)
    page.unroute(webhook_glob(stack))


def test_no_raw_file_name_or_line_number_on_any_card(page: Any, stack: Any) -> None:
    raw_only = json.loads(json.dumps(wh.CONTACTS_LOOS))  # `source` only: the raw provenance, no title
    for p in raw_only["contacts"]:
        p["source"] = "002_d8b0c87053850c6b.txt, annexe 1 (Secteur Sud, L93-95)"
    noisy = "Appel à projets 2026 de la MEL, annexe 3 (002_d8b0c87053850c6b.txt, L276-285)"
    titled_with_noise = dict(wh.EXTRAIT, titre=noisy)
    cards = wh.all_card_payloads() + [{"custom": raw_only}, {"custom": titled_with_noise}]
    for c in cards:  # every card type carries raw provenance beside its human title
        c["custom"].setdefault("source", "002_d8b0c87053850c6b.txt (L12-14)")
    answer_with(page, stack, [{"text": "Voici tout :"}] + cards)
    log = page.locator(LOG)
    kinds = ["contacts", "choix", "ambitions", "eligibilite", "calendrier", "qpv", "fiche", "extrait"]
    for kind in kinds:
        card = log.locator(f".cvsw-card-{kind}").last
        assert card.is_visible(), kind
        text = card.inner_text()
        assert not wh.RAW_SOURCE_RE.search(text), f"{kind}: {text!r}"
        hrefs = " ".join(h or "" for h in card.locator("a").evaluate_all("els => els.map(a => a.href)"))
        assert ".txt" not in hrefs, hrefs
    assert not wh.RAW_SOURCE_RE.search(page.locator("#cvsw-panel").inner_text())

    extrait = log.locator(".cvsw-card-extrait").first
    assert "Appel à projets 2026 de la MEL, annexe 3" in extrait.inner_text()
    assert "276" not in extrait.inner_text()
    assert extrait.locator(f'a[href="{wh.URL_MEL}"]').count() == 1, "the source links to the official page"
    vacant = log.locator(".cvsw-card-contacts").first
    assert "Source : Appel à projets 2026 de la MEL, annexe 1" in vacant.inner_text()


def test_one_rendering_per_answer(page: Any, stack: Any) -> None:
    text_of_card = "Vos interlocuteurs pour Loos (appel à projets 2026, MEL) : Céline Demartin, cdemartin@ville-loos.fr"
    after = "L'adresse de Céline Demartin est à vérifier avant d'écrire."
    answer_with(page, stack, [{"text": text_of_card}, {"custom": wh.CONTACTS_LOOS}, {"text": after}])
    log = page.locator(LOG)
    assert log.locator(".cvsw-card-contacts").count() == 1
    assert text_of_card not in log.inner_text(), "the text restated by the card is not shown twice"
    assert after in log.inner_text(), "a text after the card is its own message"
    # the text is kept: it is in the downloaded conversation
    assert text_of_card in page.evaluate("() => window.CVSWidget.instance.transcriptText()")

    # a choice: the card's buttons only, not the text's copies of them
    copies = [{"title": o["nom"], "payload": "/informer_lieu"} for o in wh.CHOIX_ROUBAIX["options"]]
    choice_text = {"text": "Lequel ?", "buttons": copies}
    answer_with(page, stack, [choice_text, {"custom": wh.CHOIX_ROUBAIX}], "Roubaix")
    last_rows = log.locator(".cvsw-row-bot").filter(has_text="Nouveau Roubaix")
    assert log.get_by_role("button", name="Nouveau Roubaix").count() == 1, last_rows.all_inner_texts()


def test_text_only_integration_shows_the_text(make_page: Any, stack: Any) -> None:
    page = make_page(config={"cards": False})
    open_widget(page, stack)
    text_of_card = "Vos interlocuteurs pour Loos : Céline Demartin, cdemartin@ville-loos.fr"
    answer_with(page, stack, [{"text": text_of_card}, {"custom": wh.CONTACTS_LOOS}])
    assert page.locator("#cvsw-log .cvsw-card").count() == 0
    assert text_of_card in page.locator(LOG).inner_text()


def test_input_grows_counts_and_takes_5000_characters(page: Any, stack: Any) -> None:
    box = page.locator("#cvsw-input")
    assert box.evaluate("e => e.tagName") == "TEXTAREA"
    assert box.get_attribute("maxlength") == "5000"
    counter = page.locator("#cvsw-counter")
    assert counter.is_visible() and "0 / 5000" in counter.inner_text()
    assert "cvsw-counter" in (box.get_attribute("aria-describedby") or "")
    h1 = box.bounding_box()["height"]
    box.fill("ligne 1")
    box.press("Shift+Enter")
    box.type("ligne 2")
    box.press("Shift+Enter")
    box.type("ligne 3")
    assert box.input_value() == "ligne 1\nligne 2\nligne 3", "Shift+Entrée passe à la ligne sans envoyer"
    assert box.bounding_box()["height"] > h1 * 1.5, "the input grows with its content"
    assert "23 / 5000" in counter.inner_text()

    description = "Notre association propose des ateliers. " * 120  # 4 800 characters, a pasted project
    box.fill(description[:4800])
    assert "4800 / 5000" in counter.inner_text()
    assert box.bounding_box()["height"] < 200, "it grows up to a few lines, then scrolls"
    with page.expect_request(lambda r: r.url.endswith("/webhooks/rest/webhook") and r.method == "POST") as req:
        box.press("Enter")
    assert len(json.loads(req.value.post_data or "{}")["message"]) == len(description[:4800].strip())
    box.fill("x" * 6000)
    assert len(box.input_value()) == 5000
    assert "cvsw-counter-full" in (counter.get_attribute("class") or "")


def test_feedback_up_and_down_with_comment(page: Any, stack: Any) -> None:
    send(page, "c'est quand la date limite ?")
    group = page.locator("#cvsw-log .cvsw-feedback").last
    up = group.get_by_role("button", name="Réponse utile", exact=True)
    down = group.get_by_role("button", name="Réponse pas utile", exact=True)
    assert up.get_attribute("aria-pressed") == "false" and down.get_attribute("aria-pressed") == "false"
    avis_url = _server_url(stack) + "/webhooks/avis/webhook"

    with page.expect_response(lambda r: r.url == avis_url and r.request.method == "POST") as resp:
        up.click()
    assert resp.value.status == 200
    body = json.loads(resp.value.request.post_data or "{}")
    sender = page.evaluate("() => window.CVSWidget.instance.state.sender")
    assert body["sender"] == sender and body["note"] == "positif" and body["message_id"]
    assert body["extrait"], "the judged answer's text goes with the avis"
    sync_api.expect(page.locator("#cvsw-log .cvsw-fb-status").last).to_contain_text("Merci")
    sync_api.expect(up).to_have_attribute("aria-pressed", "true")

    down.click()
    comment = page.get_by_role("textbox", name="Qu'est-ce qui ne va pas ? (facultatif)")
    assert comment.evaluate("e => e === document.activeElement")
    assert comment.get_attribute("maxlength") == "500"
    comment.fill("La date est fausse, écrivez-moi à jean@example.org")
    with page.expect_response(lambda r: r.url == avis_url and r.request.method == "POST") as resp:
        page.get_by_role("button", name="Envoyer l'avis").click()
    assert resp.value.status == 200
    body = json.loads(resp.value.request.post_data or "{}")
    assert body["note"] == "negatif" and body["commentaire"].startswith("La date est fausse")
    sync_api.expect(down).to_have_attribute("aria-pressed", "true")
    sync_api.expect(up).to_have_attribute("aria-pressed", "false")
    assert page.get_by_role("textbox", name="Qu'est-ce qui ne va pas ? (facultatif)").count() == 0
    fake = getattr(stack, "rasa", None)
    if isinstance(fake, wh.FakeRasa):  # the real tracker store is checked by tests/e2e/test_report.py
        assert [a["note"] for a in fake.avis][-2:] == ["positif", "negatif"]
    # the judgement survives a reload
    _reload(page)
    sync_api.expect(page.locator("#cvsw-log .cvsw-fb-down").last).to_have_attribute("aria-pressed", "true")


def test_download_conversation_as_text_file(page: Any, stack: Any) -> None:
    send(page, "bonjour")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Télécharger la conversation").click()
    download = dl.value
    name = download.suggested_filename
    assert name.startswith("conversation-assistant") and name.endswith(".txt"), name
    path = artifacts_dir() / download.suggested_filename
    download.save_as(str(path))
    text = path.read_text(encoding="utf-8")
    assert "Vous : bonjour" in text
    assert "Assistant : Bonjour" in text, text


def test_print_shows_only_the_conversation(page: Any, stack: Any) -> None:
    send(page, "bonjour")
    page.evaluate(
        """() => { window.__printed = []; window.print = () =>
                   window.__printed.push(document.documentElement.classList.contains('cvsw-printing')); }"""
    )
    page.get_by_role("button", name="Imprimer").click()
    assert page.evaluate("() => window.__printed") == [True]
    page.evaluate("() => document.documentElement.classList.add('cvsw-printing')")
    page.emulate_media(media="print")
    try:
        assert page.locator("header.site-header").is_hidden(), "the host page is not printed"
        assert page.locator(LOG).is_visible()
        assert page.locator("#cvsw-input").is_hidden() and page.locator(".cvsw-tools").is_hidden()
    finally:
        page.emulate_media(media="screen")


def test_write_to_an_advisor(make_page: Any, stack: Any) -> None:
    page = make_page()
    open_widget(page, stack)
    advisor = page.get_by_role("link", name="Écrire à un conseiller")
    href = advisor.get_attribute("href") or ""
    assert href.startswith("mailto:?subject="), "no contact known yet: no address invented"
    card = ask_contacts(page, "Qui contacter à Loos ?")
    ville = card.locator("a.cvsw-mailto").first.get_attribute("href") or ""
    href = advisor.get_attribute("href") or ""
    assert href.startswith(ville + "?"), (href, ville)
    assert "Loos" in (advisor.get_attribute("title") or "")
    body = urllib.parse.unquote(href.split("body=", 1)[1])
    assert "Vous : Qui contacter à Loos ?" in body

    # no card yet, but the integrator set the MEL contact (data-contact-email)
    page2 = make_page(config={"contactEmail": "politique-ville@example.org"})
    open_widget(page2, stack)
    href2 = page2.get_by_role("link", name="Écrire à un conseiller").get_attribute("href") or ""
    assert href2.startswith("mailto:politique-ville@example.org?"), href2


@pytest.mark.parametrize("message", ["Trop de demandes : patientez une minute, puis renvoyez votre message.", None])
def test_429_from_the_load_balancer_shows_a_french_message(make_page: Any, stack: Any, message: str | None) -> None:
    with wh.BusyBalancer(message) as lb:
        page = make_page(config={"server": lb.url})
        open_widget(page, stack)
        send(page, "bonjour", wait=False)
        error = page.locator("#cvsw-log .cvsw-row-error")
        error.wait_for()
        expected = message or "L'assistant reçoit trop de demandes en ce moment."
        assert expected in error.inner_text()
        assert error.get_by_role("button", name="Réessayer").is_visible()
        hits = lb.hits
        error.get_by_role("button", name="Réessayer").click()
        page.locator("#cvsw-log .cvsw-row-error").wait_for()
        assert lb.hits == hits + 1, "one click resends the message"
        assert page.locator(USER_ROWS).count() == 1, "resent, not shown twice"


def test_use_my_position_asks_only_on_click(make_page: Any, stack: Any) -> None:
    page = make_page(geolocation={"latitude": 50.6280, "longitude": 3.0580}, permissions=["geolocation"])
    page.add_init_script(
        """(() => { window.__geoCalls = 0; const g = navigator.geolocation, f = g.getCurrentPosition.bind(g);
                    g.getCurrentPosition = (...a) => { window.__geoCalls++; return f(...a); }; })();"""
    )
    open_widget(page, stack)
    button = page.get_by_role("button", name="Utiliser ma position")
    help_id = button.get_attribute("aria-describedby") or ""
    assert "quartier prioritaire" in page.locator("#" + help_id).inner_text()
    assert "Ma position" in button.inner_text(), "the visible label is part of the accessible name"
    assert page.evaluate("() => window.__geoCalls") == 0, "the position is not asked before the click"
    bodies: list[dict[str, Any]] = []

    def handler(route: Any) -> None:
        bodies.append(json.loads(route.request.post_data or "{}"))
        fulfil_json(route, [{"text": "Voici ce que je sais de ce lieu :"}, {"custom": wh.QPV_POINT}])

    page.route(webhook_glob(stack), handler)
    before = bot_count(page)
    button.click()
    wait_reply(page, before)
    assert page.evaluate("() => window.__geoCalls") == 1
    body = bodies[-1]
    assert body["message"] == "/verifier_adresse_qpv"
    assert body["metadata"]["position"] == {"lat": 50.628, "lon": 3.058}
    assert body["metadata"]["today"] == TODAY
    qpv = page.locator("#cvsw-log .cvsw-card-qpv").last
    assert "Secteur Sud" in qpv.inner_text()
    assert "50.628" not in page.evaluate("() => JSON.stringify(localStorage)"), "the position is not kept"


def test_sender_id_is_unguessable(make_page: Any, stack: Any) -> None:
    ids = []
    for _ in range(2):
        page = make_page()
        open_widget(page, stack)
        ids.append(page.evaluate("() => window.CVSWidget.instance.state.sender"))
    uuid4 = re.compile(r"^web-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    assert all(uuid4.match(i) for i in ids), ids
    assert ids[0] != ids[1]


NEW_CONTROLS = [
    ("button", "Effacer la conversation"),
    ("button", "Télécharger la conversation"),
    ("button", "Imprimer"),
    ("link", "Écrire à un conseiller"),
    ("button", "Utiliser ma position"),
    ("textbox", "Votre message à l'assistant"),
    ("button", "Réponse utile"),
    ("button", "Réponse pas utile"),
]


def test_screen_reader_names_of_every_new_control(page: Any, stack: Any) -> None:
    send(page, "bonjour")
    for role, name in NEW_CONTROLS:
        found = page.locator("#cvsw-panel").get_by_role(role, name=name, exact=True)
        assert found.count() >= 1, f"{role} « {name} » has no accessible name"
    assert page.locator("#cvsw-panel").get_by_role("group", name="Outils de la conversation").count() == 1
    assert page.locator("#cvsw-panel").get_by_role("group", name="Votre avis sur cette réponse").count() >= 1
    page.locator("#cvsw-log .cvsw-fb-down").last.click()
    assert page.get_by_role("textbox", name="Qu'est-ce qui ne va pas ? (facultatif)", exact=True).count() == 1
    assert page.get_by_role("button", name="Envoyer l'avis", exact=True).count() == 1
    # descriptions: the counter for the input, the sentence for the position button
    described = page.evaluate(
        """() => [...document.querySelectorAll('#cvsw-panel [aria-describedby]')]
             .map(e => [e.id || e.className, e.getAttribute('aria-describedby').split(' ')
             .map(d => (document.getElementById(d) || {}).textContent || '').join(' ')])"""
    )
    descriptions = dict(described)
    assert "5000" in descriptions["cvsw-input"]
    assert any("position" in v and "cvsw-position" in k for k, v in descriptions.items()), descriptions
    run_axe(page)  # the comment form open, every control on screen


def test_keyboard_only_run(make_page: Any, stack: Any) -> None:
    page = make_page(config={"open": False})
    page.goto(stack.web_url)
    page.wait_for_function("() => window.CVSWidget && window.CVSWidget.instance")

    def focused() -> str:
        return str(page.evaluate("() => document.activeElement.id || document.activeElement.className"))

    def tab_to(part: str, back: bool = False) -> None:
        for _ in range(80):
            page.keyboard.press("Shift+Tab" if back else "Tab")
            if part in focused():
                return
        raise AssertionError(f"{part} never reached with the keyboard")

    tab_to("cvsw-launcher")
    page.keyboard.press("Enter")
    assert focused() == "cvsw-input"
    before = bot_count(page)
    page.keyboard.type("bonjour")
    page.keyboard.press("Enter")
    wait_reply(page, before)
    # 👎 with a comment, keyboard only
    tab_to("cvsw-fb-down", back=True)
    page.keyboard.press("Enter")
    assert "cvsw-fb-" in focused() and page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.type("Pas clair")
    page.keyboard.press("Tab")
    assert "cvsw-fb-send" in focused()
    page.keyboard.press("Enter")
    sync_api.expect(page.locator("#cvsw-log .cvsw-fb-status").last).to_contain_text("Merci")
    # download with the keyboard
    tab_to("cvsw-download", back=True)
    with page.expect_download() as dl:
        page.keyboard.press("Enter")
    assert dl.value.suggested_filename.endswith(".txt")
    # clear with the keyboard; the focus goes back to the input
    tab_to("cvsw-reset", back=True)
    page.keyboard.press("Enter")
    assert page.locator(USER_ROWS).count() == 0
    assert focused() == "cvsw-input"
    page.keyboard.press("Escape")
    assert "cvsw-launcher" in focused()


def test_phone_width_360_every_control_fits(make_page: Any, stack: Any) -> None:
    page = make_page(360, 740)
    open_widget(page, stack)
    send(page, "bonjour")
    page.locator("#cvsw-log .cvsw-fb-down").last.click()
    controls = [".cvsw-reset", ".cvsw-download", ".cvsw-print", ".cvsw-advisor", ".cvsw-position", "#cvsw-input",
                "#cvsw-counter", ".cvsw-send", "#cvsw-privacy"]
    for sel in controls:
        loc = page.locator(sel).last
        loc.scroll_into_view_if_needed()
        box = loc.bounding_box()
        assert box is not None and loc.is_visible(), sel
        assert box["x"] >= -0.5 and box["x"] + box["width"] <= 360.5, (sel, box)
    for sel in [".cvsw-fb-up", ".cvsw-fb-down", ".cvsw-reset", ".cvsw-send"]:
        box = page.locator(sel).last.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, (sel, box)  # WCAG 2.2 target size
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 361
    page.screenshot(path=str(artifacts_dir() / "widget-360-tools.png"))
