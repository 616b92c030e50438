"""The fields of a page's main POST form, as a browser would submit them unchanged:
how bench/run and bench/load save an entry form without knowing its field names."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"method": a.get("method", "get").lower(), "action": a.get("action", "")}
            self._form |= {"fields": [], "buttons": [], "files": []}
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image"}:
                self._form["buttons"].append((name, a.get("value", "")))
            elif kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form["fields"].append([name, a.get("value", "on")])
            elif kind == "file":
                self._form["files"].append(name)
            else:
                self._form["fields"].append([name, a.get("value", "")])
        elif tag == "button" and name:
            self._form["buttons"].append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self._form["fields"].append(self._textarea)
        elif tag == "select" and name:
            self._select = [name, None]
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select[1] is None or "selected" in a:
                self._select[1] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            if self._select is not None and self._select[1] is None:
                self._select[1] = ""
            self._select = None


SAVE_WORDS = ("draft", "save", "保存", "暂存")


def main_post_form(html: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(action, fields) of the POST form with the most fields (not the logout form),
    with its save-draft button pressed if it has one; None when the page has none."""
    parser = _Forms()
    parser.feed(html)
    forms = [f for f in parser.forms if f["method"] == "post" and "logout" not in f["action"]]
    if not forms:
        return None
    form = max(forms, key=lambda f: len(f["fields"]))
    fields = [(k, v) for k, v in form["fields"]]
    buttons = form["buttons"]
    save = next((b for b in buttons if any(w in (b[0] + b[1]).lower() for w in SAVE_WORDS)), buttons[0] if buttons else None)
    if save:
        fields.append(save)
    return form["action"], fields


def upload_form(html: str) -> tuple[str, list[tuple[str, str]], str] | None:
    """(action, other fields, name of the file input) of the page's upload form."""
    parser = _Forms()
    parser.feed(html)
    form = next((f for f in parser.forms if f["method"] == "post" and f["files"]), None)
    if form is None:
        return None
    return form["action"], [(k, v) for k, v in form["fields"]], form["files"][0]
