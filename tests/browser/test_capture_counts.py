"""The capture screen's "… waiting to be sent" and "… could not be accepted" counts take each
language's plural forms (issue 23 point 10): Arabic has six (zero, one, two, 3–10, 11–99 and the
rest, repeating each hundred), English two. Read from the phone's own JS (`counted`) in a real
browser, with the words the server handed that screen."""

from __future__ import annotations

import pytest

from tests.browser.test_capture import join

pytestmark = pytest.mark.browser

ISOLATED = "\u2068{}\u2069"  # a right-to-left screen isolates each number

EXPECTED = {
    "ar": {
        0: "لا شيء بانتظار الإرسال",
        1: "عنصر واحد بانتظار الإرسال",
        2: "عنصران بانتظار الإرسال",
        3: ISOLATED.format(3) + " عناصر بانتظار الإرسال",
        10: ISOLATED.format(10) + " عناصر بانتظار الإرسال",
        11: ISOLATED.format(11) + " عنصرًا بانتظار الإرسال",
        99: ISOLATED.format(99) + " عنصرًا بانتظار الإرسال",
        100: ISOLATED.format(100) + " عنصر بانتظار الإرسال",
        102: ISOLATED.format(102) + " عنصر بانتظار الإرسال",
        103: ISOLATED.format(103) + " عناصر بانتظار الإرسال",
        211: ISOLATED.format(211) + " عنصرًا بانتظار الإرسال",
        1002: ISOLATED.format(1002) + " عنصر بانتظار الإرسال",
    },
    "en": {1: "1 waiting to be sent", 2: "2 waiting to be sent", 250: "250 waiting to be sent"},
    "sv": {1: "1 väntar på att skickas", 5: "5 väntar på att skickas"},
}

COUNTED = """async ([key, counts]) => {
  const page = await import("/static/js/capture/page.js");
  return counts.map((n) => page.counted(page.text[key], n));
}"""


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_the_waiting_count_takes_the_languages_plural_form(phone, server, walk, code):
    page = phone.new_page()
    join(page, server, walk)
    phone.add_cookies([{"name": "lang", "value": code, "url": server.url}])
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.evaluate("document.documentElement.lang") == code
    counts = list(EXPECTED[code])
    shown = page.evaluate(COUNTED, ["waiting", counts])
    assert dict(zip(counts, shown)) == EXPECTED[code]
    if code == "ar":
        failed = page.evaluate(COUNTED, ["failed", [1, 2, 4]])
        assert failed[0] == "عنصر واحد لم يُقبل – انظر القائمة"
        assert failed[1] == "عنصران لم يُقبلا – انظر القائمة"
        assert failed[2] == ISOLATED.format(4) + " عناصر لم تُقبل – انظر القائمة"
