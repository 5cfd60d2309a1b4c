"""Read a page's form as a browser would send it: every input, select and textarea of the
first POST form (or the one whose action or class is given), with the values the page drew.
The stale-save tests use it so that each client saves exactly what its page showed."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.current: dict | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.current = {"attrs": a, "data": {}}
            self.forms.append(self.current)
            return
        if self.current is None:
            return
        data = self.current["data"]
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    data.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                data.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self.select, self.select_first = name, None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                data.setdefault(self.select, []).append(value)
        elif tag == "textarea" and name:
            self.textarea = name
            data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.current is not None and self.select:
            if self.select not in self.current["data"] and self.select_first is not None:
                self.current["data"][self.select] = [self.select_first]
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, text):
        if self.textarea and self.current is not None:
            values = self.current["data"][self.textarea]
            values[-1] += text.removeprefix("\n") if not values[-1] else text


def post_form(html: str, *, css_class: str | None = None) -> dict[str, list[str]]:
    """The fields of the page's POST form (the first that posts back to the page, or the one
    with ``css_class``), as lists of values (pass to client.post as is)."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        classes = (form["attrs"].get("class") or "").split()
        own = not form["attrs"].get("action")  # posts back to the page itself
        if (css_class is None and own) or (css_class is not None and css_class in classes):
            data = dict(form["data"])
            data.pop("csrfmiddlewaretoken", None)
            return data
    raise AssertionError("The page has no such form")
