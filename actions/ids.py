"""Row ids (and other whole numbers that reach a query) as users and URLs send them,
parsed in one place: "99999999999999999999" in a form or a path is refused here, as a
400 or a 404, before the database driver overflows on it (SQLite and PostgreSQL keep
64-bit integers). `<id:pk>` in a URL pattern uses the same rule."""

from django.urls import register_converter

ID_MAX = 2**63 - 1  # the largest value a BigAutoField / an INTEGER column holds


class BadId(ValueError):
    """Not a row id; the message is Chinese, for the user."""


def parse_id(raw, *, allow_zero: bool = False) -> int:
    """`raw` (a str from a form, a path or a file, or an int) as a positive whole number
    that fits the database; BadId for anything else (text, signs, spaces inside, huge)."""
    if isinstance(raw, bool):
        raise BadId("编号无效")
    if isinstance(raw, int):
        number = raw
    else:
        text = str(raw).strip() if raw is not None else ""
        # ASCII digits only: str.isdigit() also takes "²" and "١٢٣", and int() takes "1_000".
        if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
            raise BadId(f"“{str(raw)[:30]}”不是有效的编号")
        number = int(text)
    if number < (0 if allow_zero else 1) or number > ID_MAX:
        raise BadId(f"“{str(raw)[:30]}”不是有效的编号")
    return number


def parse_id_or_none(raw, *, allow_zero: bool = False) -> int | None:
    try:
        return parse_id(raw, allow_zero=allow_zero)
    except BadId:
        return None


class IdConverter:
    """`<id:pk>`: a row id, or a 404 before the view runs."""

    regex = r"[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        return parse_id(value)

    def to_url(self, value) -> str:
        return str(parse_id(value))


register_converter(IdConverter, "id")
