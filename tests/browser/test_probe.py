from tests.browser.test_coordinators_phone import busy, signed_in, SCREENS
def test_probe(browser, busy):
    for name, size in SCREENS.items():
      for scheme in ("light", "dark"):
        context, page = signed_in(browser, busy["server"], size)
        page.emulate_media(color_scheme=scheme)
        page.goto(busy["server"].url + f"/observations/{busy['first']}/triage?queue=walk")
        page.wait_for_load_state("networkidle")
        print(name, scheme, page.locator("#status").bounding_box())
        page.screenshot(path=f"/tmp/shots/triage-{name}-{scheme}.png")
        page.screenshot(path=f"/tmp/shots/triage-{name}-{scheme}-full.png", full_page=True)
        context.close()
