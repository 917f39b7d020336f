"""Reading pages back in tests: the elements of an HTML page with their attributes."""

from html.parser import HTMLParser


class Page(HTMLParser):
    """Elements with their attributes, and the content of meta tags."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def find(self, tag: str | None = None, **attrs: str) -> list[dict[str, str | None]]:
        """Elements matching ``attrs`` (``class_`` for class, ``aria_label`` for
        aria-label)."""
        return [
            a for t, a in self.elements
            if (tag is None or t == tag)
            and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def meta(self, key: str, value: str) -> list[str | None]:
        """The content of every ``<meta key=value>``."""
        return [a.get("content") for t, a in self.elements if t == "meta" and a.get(key) == value]
