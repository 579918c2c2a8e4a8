"""HTML pages read with lxml, typed for the tests.

lxml-stubs types `lxml.html.fromstring` as returning a bare `_Element` (it is an `HtmlElement`,
which the stubs leave undeclared) and `xpath()` as any XPath result (a list, a string, a number…);
these say what the tests rely on.
"""

from __future__ import annotations

from typing import cast

import lxml.html
from lxml.etree import _Element


def parse_html(html: str) -> _Element:
    return lxml.html.fromstring(html)


def elements(root: _Element, path: str) -> list[_Element]:
    """The elements an XPath that selects elements finds under `root`."""
    return cast(list[_Element], root.xpath(path))


def text_content(root: _Element) -> str:
    """`HtmlElement.text_content()`, which is this XPath: the text of `root` and of all its
    descendants."""
    return str(root.xpath("string()"))
