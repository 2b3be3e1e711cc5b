"""book/_ext/book_speed.py: the work it saves Sphinx leaves every result as it was."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from types import SimpleNamespace

from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import book_speed  # noqa: E402

#: stands for the build environment a nested document's settings hold
BULKY = "environment " * 20_000


def _document(text: str, **settings):
    document = new_document("<page>", get_default_settings(Parser))
    for name, value in settings.items():
        setattr(document.settings, name, value)
    Parser().parse(text, document)
    return document


def test_nested_nodes_belong_to_their_page():
    """An ``{eval-rst}`` block is parsed into a document of its own (MyST) whose settings hold the
    environment; once its nodes point at the page, pickling the page no longer pickles that
    document, and the nodes, their text and their order are unchanged."""
    page = _document("Title\n=====\n\nBefore.\n")
    page.settings.env = None  # what Sphinx pickles: the page's own settings without the env
    block = _document("* one *item*\n* two\n\n.. note:: a note\n", env=BULKY)
    page.children[0].extend(block.children)
    before = page.pformat()
    assert len(pickle.dumps(page)) > len(BULKY)

    book_speed.adopt_nested_nodes(None, page)

    assert page.pformat() == before
    assert all(node.document is page for node in page.findall())
    assert len(pickle.dumps(page)) < 10_000
    book_speed.adopt_nested_nodes(None, page)  # again: nothing to change
    assert page.pformat() == before


def _function_with_sections(x, scale=2):
    """Scale a number.

    Parameters
    ----------
    x : float
        The number.
    scale : int, optional
        The factor.

    Returns
    -------
    float
        ``x * scale``.

    Examples
    --------
    >>> _function_with_sections(1.5)
    3.0
    """
    return x * scale


def test_numpydoc_renders_as_before_from_one_template(monkeypatch):
    from numpydoc import docscrape_sphinx
    from numpydoc import numpydoc as numpydoc_ext

    monkeypatch.setattr(numpydoc_ext, "get_doc_object", numpydoc_ext.get_doc_object)
    before = [
        str(docscrape_sphinx.get_doc_object(obj, config={"show_class_members": False}))
        for obj in (_function_with_sections, Path)
    ]
    book_speed.numpydoc_template_once(SimpleNamespace(extensions={}))  # numpydoc not loaded
    assert numpydoc_ext.get_doc_object is not None
    book_speed.numpydoc_template_once(SimpleNamespace(extensions={"numpydoc": None}))
    configs = [{"show_class_members": False} for _ in before]
    after = [
        str(numpydoc_ext.get_doc_object(obj, config=config))
        for obj, config in zip((_function_with_sections, Path), configs, strict=True)
    ]
    assert after == before
    assert configs[0]["template"] is configs[1]["template"]  # compiled once


class _App:
    """What :func:`book_speed.signature_hooks_once` uses of a Sphinx application."""

    def __init__(self, typehints: str):
        from sphinx.events import EventManager

        self.config = SimpleNamespace(autodoc_typehints=typehints, autodoc_preserve_defaults=True)
        self.events = EventManager(self)
        self.events.add("autodoc-before-process-signature")

    def connect(self, event, callback, priority=500):
        return self.events.connect(event, callback, priority)

    def emit(self, event, *args):
        return self.events.emit(event, *args)


DEFAULT_SCALE = 2


def _scaled(x, scale=DEFAULT_SCALE):
    return x * scale


def test_defaults_as_written_are_read_once_per_object():
    from sphinx.ext.autodoc import preserve_defaults, type_comment

    for typehints, kept in (("none", 1), ("signature", 2)):
        app = _App(typehints)
        app.connect("autodoc-before-process-signature", preserve_defaults.update_defvalue)
        app.connect(
            "autodoc-before-process-signature", type_comment.update_annotations_using_type_comments
        )
        book_speed.signature_hooks_once(app)
        assert len(app.events.listeners["autodoc-before-process-signature"]) == kept
        _scaled.__dict__.pop("__signature__", None)
        app.emit("autodoc-before-process-signature", _scaled, False)
        assert str(_scaled.__signature__) == "(x, scale=DEFAULT_SCALE)"  # as written
        del _scaled.__signature__
        app.emit("autodoc-before-process-signature", _scaled, False)  # the same object: done
        assert "__signature__" not in _scaled.__dict__
        app.events.emit("build-finished", None)  # a new build reads it again
        app.emit("autodoc-before-process-signature", _scaled, False)
        assert str(_scaled.__signature__) == "(x, scale=DEFAULT_SCALE)"
        del _scaled.__signature__


class _Environment:
    def __init__(self, read):
        self._write_doc_doctree_cache = read
        self.loaded = []

    def get_doctree(self, docname):
        self.loaded.append(docname)
        return _document("Loaded\n======\n")

    def doc2path(self, docname):
        return f"{docname}.md"


def test_figure_numbers_read_the_doctrees_in_memory():
    page = _document("Page\n====\n")
    page.settings.env = None
    env = _Environment({"chapters/01": page})
    assert book_speed.figure_numbers_from_memory(None, env) == []
    assert env.get_doctree("chapters/01") is page
    assert page.settings.env is env  # as Sphinx's own get_doctree returns a page
    assert env.get_doctree("chapters/02").astext() == "Loaded"  # not read in this build
    assert env.loaded == ["chapters/02"]
    assert book_speed._own_doctree_loader(None, env) == []
    assert "get_doctree" not in env.__dict__
    env.get_doctree("chapters/01")
    assert env.loaded == ["chapters/02", "chapters/01"]
    nothing_read = _Environment({})
    book_speed.figure_numbers_from_memory(None, nothing_read)
    assert "get_doctree" not in nothing_read.__dict__
