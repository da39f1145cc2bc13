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

import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

try:  # tests/ as a package or as plain folders
    from . import widget_helpers as wh
except ImportError:  # pragma: no cover - depends on how pytest imports us
    import widget_helpers as wh  # type: ignore[no-redef]

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent
WEB_DIR = HERE.parents[1] / "web"
ARTIFACTS = HERE / "artifacts"
AXE_JS = HERE / "vendor" / "axe.min.js"
TODAY = "2025-09-20"  # sent as metadata.today: the 2026 call is open, J-25
ERROR_TEXT = "Le service ne répond pas. Vérifiez votre connexion puis réessayez."
REPLY_TIMEOUT_MS = int(os.environ.get("WIDGET_REPLY_TIMEOUT_MS", "45000"))

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

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


@pytest.fixture(scope="module")
def widget_browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


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

    def factory(width: int = 1280, height: int = 800, scale: float = 1) -> Any:
        ctx = widget_browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=scale, locale="fr-FR"
        )
        contexts.append(ctx)
        config = {"server": _server_url(stack), "today": TODAY, "open": True, "timeout": 60000}
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


def test_history_survives_reload_and_reset_clears_it(page: Any, stack: Any) -> None:
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

    page.get_by_role("button", name="Nouvelle conversation").click()
    assert page.locator(USER_ROWS).count() == 0
    assert page.evaluate("() => window.CVSWidget.instance.state.sender") != sender
    page.reload()
    page.wait_for_function("() => window.CVSWidget && window.CVSWidget.instance")
    assert page.locator(USER_ROWS).count() == 0


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
    evil = [
        {
            "text": "<img src=x onerror=alert(1)> <b>gras</b>",
            "buttons": [{"title": "<img src=x onerror=alert(2)>", "payload": "/saluer"}],
        },
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
    ]
    page.route(webhook_glob(stack), lambda route: route.fulfill(status=200, headers=CORS, body=json.dumps(evil)))
    send(page, "test")
    page.wait_for_timeout(500)
    panel = page.locator("#cvsw-panel")
    assert panel.locator("img, svg, script, b").count() == 0
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
    assert "Poste vacant" in text and "Source : 002_d8b0c87053850c6b.txt" in text
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

    # Shift+Tab from the input walks back: conversation, "Nouvelle conversation", close
    page.locator("#cvsw-input").focus()
    seen: list[str] = []
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        seen.append(page.evaluate("() => document.activeElement.id || document.activeElement.className"))
        if "cvsw-close" in seen[-1]:
            break
    assert "cvsw-log" in seen, seen
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
