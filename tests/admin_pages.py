"""Read an admin change page the way a browser would, to post it back as a person would."""

from html.parser import HTMLParser

from django.urls import reverse


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_option: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self._first_option = None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self.data[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        if tag == "select" and self._select:
            self.data.setdefault(self._select, self._first_option or "")
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += (
                data.removeprefix("\n") if not self.data[self._textarea] else data
            )


def change_form_data(response) -> dict[str, str]:
    """The fields of the admin change form in `response`, as they would be submitted."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    # Templates for inline rows added by script are never submitted.
    return {name: value for name, value in reader.data.items() if "__prefix__" not in name}


def admin_form_data(fields: dict, **inlines: list[dict]) -> dict:
    """What an admin add or change form posts: `fields`, and for each inline named by its prefix
    (`duty_periods=[{"weekday": "4", ...}]`) its management form and one row per dict."""
    data = dict(fields)
    for prefix, rows in inlines.items():
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for index, row in enumerate(rows):
            data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


def change_url(obj) -> str:
    """The admin change page of `obj`."""
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


class _ErrorReader(HTMLParser):
    """The messages in Django's error lists and in the staff error summary at the top."""

    def __init__(self):
        super().__init__()
        self.beside_fields: list[str] = []
        self.summary: list[str] = []
        self._into: list[str] | None = None
        self._depth = 0
        self._text = ""

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("ul", "div") and ("errorlist" in classes or "error-summary" in classes):
            self._into = self.beside_fields if "errorlist" in classes else self.summary
            self._depth = 0
        if self._into is not None:
            self._depth += tag in ("ul", "div")
            if tag == "li":
                self._text = ""

    def handle_endtag(self, tag):
        if self._into is None:
            return
        if tag == "li":
            self._into.append(" ".join(self._text.split()))
        elif tag in ("ul", "div"):
            self._depth -= 1
            if self._depth == 0:
                self._into = None

    def handle_data(self, data):
        if self._into is not None:
            self._text += data


def shown_errors(response) -> tuple[list[str], list[str]]:
    """(beside the fields, in the summary at the top): every error message the page shows."""
    reader = _ErrorReader()
    reader.feed(response.content.decode())
    return reader.beside_fields, reader.summary
